# A month and year stand alone in the record ("март 2018"), without Django's "ж.".
YEAR_MONTH_FORMAT = "F Y"
