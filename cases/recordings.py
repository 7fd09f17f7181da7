"""Audio recordings without their tags: what a testimony recording keeps is its sound.

A recorder app or a phone writes tags into the file: the title (often the relative's name), the
device, the date and sometimes the place. Each kind accepted here has a cleaner that keeps the
audio and drops every tag, or refuses a file it cannot walk:

- MP3: the ID3 tags at the start and the end, APE and Lyrics3 tags are cut off.
- WAV: only the format, fact and sound chunks are kept (no LIST/INFO, bext, iXML, XMP, id3).
- Ogg Opus and Ogg Vorbis (WhatsApp voice messages, most Android recorders): the comment header
  is replaced by an empty one, the pages after it renumbered and their checksums recomputed.

Containers that carry location in structures this app cannot rewrite without a remux are refused
in `cases.uploads`: MP4, MOV, M4A, 3GP, HEIC and AVIF (all ISO-BMFF, the `ftyp` box), WebM and MKV.
"""

import struct
from dataclasses import dataclass


class UnreadableRecording(ValueError):
    """The file does not have the structure its first bytes promise."""


# --- MP3 ---------------------------------------------------------------------------------------


def _syncsafe(data: bytes) -> int:
    if any(byte & 0x80 for byte in data):
        raise UnreadableRecording("bad ID3 size")
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def clean_mp3(data: bytes) -> bytes:
    """The MPEG audio frames, without any ID3v2, ID3v1, APE or Lyrics3 tag."""
    start, end = 0, len(data)
    while data[start : start + 3] == b"ID3":
        if end - start < 10:
            raise UnreadableRecording("truncated ID3 tag")
        footer = 10 if data[start + 5] & 0x10 else 0
        start += 10 + _syncsafe(data[start + 6 : start + 10]) + footer
    while True:
        if end - start >= 128 and data[end - 128 : end - 125] == b"TAG":
            end -= 128
            if end - start >= 227 and data[end - 227 : end - 223] == b"TAG+":
                end -= 227
        elif end - start >= 32 and data[end - 32 : end - 24] == b"APETAGEX":
            size = int.from_bytes(data[end - 20 : end - 16], "little")
            flags = int.from_bytes(data[end - 12 : end - 8], "little")
            end -= size + (32 if flags & 0x80000000 else 0)
        elif end - start >= 15 and data[end - 9 : end] == b"LYRICS200":
            digits = data[end - 15 : end - 9]
            if not digits.isdigit():
                raise UnreadableRecording("bad Lyrics3 size")
            end -= int(digits) + 15
        elif end - start >= 10 and data[end - 10 : end - 7] == b"3DI":
            end -= 20 + _syncsafe(data[end - 4 : end])
        else:
            break
        if end < start:
            raise UnreadableRecording("a tag larger than the file")
    audio = data[start:end]
    if len(audio) < 4 or audio[0] != 0xFF or audio[1] & 0xE0 != 0xE0:
        raise UnreadableRecording("no MPEG audio frame after the tags")
    return audio


# --- WAV ---------------------------------------------------------------------------------------

WAV_KEPT_CHUNKS = (b"fmt ", b"fact", b"data")


def clean_wav(data: bytes) -> bytes:
    """The RIFF WAVE file rebuilt from its format, fact and sound chunks only."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise UnreadableRecording("not a RIFF WAVE file")
    chunks, position = [], 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        body = data[position + 8 : position + 8 + size]
        if kind in WAV_KEPT_CHUNKS:
            # Recorders that stream often leave the sound chunk's size unset or too large.
            chunks.append((kind, body))
        position += 8 + size + (size & 1)
    kinds = [kind for kind, _body in chunks]
    if b"fmt " not in kinds or b"data" not in kinds:
        raise UnreadableRecording("a WAVE file without format or sound")
    out = bytearray()
    for kind, body in chunks:
        out += kind + len(body).to_bytes(4, "little") + body + (b"\x00" if len(body) & 1 else b"")
    return b"RIFF" + (len(out) + 4).to_bytes(4, "little") + b"WAVE" + bytes(out)


# --- Ogg ---------------------------------------------------------------------------------------

OGG_CONTINUED, OGG_FIRST, OGG_LAST = 0x01, 0x02, 0x04
# Codec → (how its first packet starts, how many header packets, an empty comment header).
OGG_CODECS = {
    "opus": (b"OpusHead", 2, b"OpusTags", b"OpusTags" + bytes(8)),
    "vorbis": (b"\x01vorbis", 3, b"\x03vorbis", b"\x03vorbis" + bytes(8) + b"\x01"),
}


def _ogg_crc_table():
    table = []
    for index in range(256):
        value = index << 24
        for _bit in range(8):
            value = ((value << 1) ^ 0x04C11DB7) if value & 0x80000000 else value << 1
        table.append(value & 0xFFFFFFFF)
    return table


_OGG_CRC = _ogg_crc_table()


def ogg_crc(data: bytes) -> int:
    """The Ogg page checksum (CRC-32, polynomial 0x04C11DB7, not reflected, no final XOR)."""
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[((crc >> 24) ^ byte) & 0xFF]
    return crc


@dataclass
class OggPage:
    flags: int
    granule: int
    serial: int
    sequence: int
    lacing: bytes
    payload: bytes

    def to_bytes(self) -> bytes:
        header = (
            b"OggS"
            + bytes([0, self.flags])
            + struct.pack("<qII", self.granule, self.serial, self.sequence)
            + bytes(4)
            + bytes([len(self.lacing)])
            + self.lacing
        )
        page = header + self.payload
        return page[:22] + ogg_crc(page).to_bytes(4, "little") + page[26:]

    def segments(self):
        offset = 0
        for length in self.lacing:
            yield length, self.payload[offset : offset + length]
            offset += length


def read_ogg_pages(data: bytes) -> list[OggPage]:
    pages, position = [], 0
    while position < len(data):
        if data[position : position + 4] != b"OggS" or position + 27 > len(data):
            raise UnreadableRecording("not an Ogg page")
        if data[position + 4] != 0:
            raise UnreadableRecording("unknown Ogg version")
        granule, serial, sequence = struct.unpack_from("<qII", data, position + 6)
        count = data[position + 26]
        lacing = data[position + 27 : position + 27 + count]
        start = position + 27 + count
        end = start + sum(lacing)
        if len(lacing) != count or end > len(data):
            raise UnreadableRecording("truncated Ogg page")
        pages.append(
            OggPage(data[position + 5], granule, serial, sequence, lacing, data[start:end])
        )
        position = end
    return pages


def _paginate(packets, serial, first_sequence):
    """Header packets laid out on fresh pages (at most 255 segments each)."""
    segments = []
    for packet in packets:
        pieces = [packet[i : i + 255] for i in range(0, len(packet), 255)] or [b""]
        if len(pieces[-1]) == 255:
            pieces.append(b"")
        segments.extend((len(piece), piece) for piece in pieces)
    pages, continued = [], False
    for start in range(0, len(segments), 255):
        chunk = segments[start : start + 255]
        ends_packet = any(length < 255 for length, _piece in chunk)
        pages.append(
            OggPage(
                flags=OGG_CONTINUED if continued else 0,
                # Header pages carry granule 0; a page on which no packet ends carries -1.
                granule=0 if ends_packet else -1,
                serial=serial,
                sequence=first_sequence + len(pages),
                lacing=bytes(length for length, _piece in chunk),
                payload=b"".join(piece for _length, piece in chunk),
            )
        )
        continued = chunk[-1][0] == 255
    return pages


def clean_ogg(data: bytes) -> bytes:
    """An Ogg Opus or Vorbis stream with an empty comment header (no title, artist, date,
    place or picture); the audio pages are kept, renumbered after the new header pages."""
    pages = read_ogg_pages(data)
    if not pages or not pages[0].flags & OGG_FIRST:
        raise UnreadableRecording("no Ogg stream start")
    serial = pages[0].serial
    if any(page.serial != serial for page in pages):
        # Several streams, one after the other or interleaved: each would carry its own tags.
        raise UnreadableRecording("more than one Ogg stream")
    first = pages[0].payload
    codec = next((c for c, spec in OGG_CODECS.items() if first.startswith(spec[0])), None)
    if codec is None or len(pages[0].lacing) != 1 or pages[0].lacing[-1] == 255:
        raise UnreadableRecording("not Ogg Opus or Ogg Vorbis")
    _signature, header_count, comment_signature, empty_comment = OGG_CODECS[codec]
    # The headers after the first end on a page of their own: the sound starts on a new page.
    packets, current, index = [], b"", 1
    while len(packets) < header_count - 1:
        if index >= len(pages):
            raise UnreadableRecording("truncated Ogg headers")
        for length, piece in pages[index].segments():
            if len(packets) == header_count - 1:
                raise UnreadableRecording("sound on a header page")
            current += piece
            if length < 255:
                packets.append(current)
                current = b""
        index += 1
    if current or not packets[0].startswith(comment_signature):
        raise UnreadableRecording("unexpected Ogg headers")
    packets[0] = empty_comment
    header_pages = _paginate(packets, serial, first_sequence=1)
    rest = pages[index:]
    for offset, page in enumerate(rest):
        page.sequence = 1 + len(header_pages) + offset
    return b"".join(page.to_bytes() for page in [pages[0], *header_pages, *rest])
