"""Make cases/staff/fonts/NotoSansSC-Common.ttf, the Chinese font of the staff PDFs.

The source is Noto Sans SC Regular (SIL Open Font License 1.1), as shipped in the npm package
@expo-google-fonts/noto-sans-sc (0.4.3: 400Regular/NotoSansSC_400Regular.ttf, about 10 MB):

    npm pack @expo-google-fonts/noto-sans-sc && tar xzf expo-google-fonts-noto-sans-sc-*.tgz
    python scripts/subset_chinese_font.py package/400Regular/NotoSansSC_400Regular.ttf

The subset keeps the 3,755 common characters of GB 2312 (level 1), the characters in EXTRA
(frequent in given names, GB 2312 level 2), the CJK punctuation and the full-width forms: about
1.2 MB without hinting. A character outside it is printed as its pinyin reading
(cases.staff.pdf.pdf_text). The licence is cases/staff/fonts/LICENSE-NotoSansSC.txt.
"""

import sys
from pathlib import Path

from fontTools import subset

TARGET = Path(__file__).resolve().parent.parent / "cases" / "staff" / "fonts"
EXTRA = (
    "娅琪婕婧昊晗钰鑫淼骞璐玥尕妍芮茜瑛琦馨怡韬麟晔珂珺琰瑾璇玮炜昕昱晟曦煜熠祎祺筠翊翎苒蓓蔚薇靖颖"
)


def characters() -> str:
    found = set(EXTRA)
    for high in range(0xB0, 0xD8):  # GB 2312 level 1: rows 16 to 55
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    found |= {chr(code) for code in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    found |= {chr(code) for code in range(0xFF00, 0xFF66)}  # full-width forms
    return "".join(sorted(found))


def main(source: str) -> None:
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    subset.save_font(font, TARGET / "NotoSansSC-Common.ttf", options)


if __name__ == "__main__":
    main(sys.argv[1])
