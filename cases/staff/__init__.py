"""The staff reports area: filtered exports, summary reports, dossiers and UN submissions."""
