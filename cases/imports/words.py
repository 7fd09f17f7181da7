"""The words volunteers write in a case list's coded columns, and how words are compared.

Every list maps a code of the model (Case.Status, Relationship.Kind, ...) to the spellings read
as that code, separated by "|": Russian, Kazakh, Kyrgyz, Uyghur in Arabic script and in Latin
letters, and English. `cases.imports.vocabulary` builds the import's vocabularies from them and
also reads each spelling as typed on a Russian keyboard ("сіңлісі" as "синлиси", "ағасы" as
"агасы") and Latin spellings without their accents ("lagérda" as "lagerda").

A word the lists do not hold becomes a question in the import's dry run; what a group answers
may be saved for its next imports (cases.models.ImportWordMapping), and a group's saved meaning
comes before the meaning given here.

Where a word means different things in different languages, the Kazakh reading is taken (most
case lists come from Almaty): "атасы" is a grandfather ("father" in Kyrgyz), "апасы" an elder
sister ("mother" in Kyrgyz). A Kyrgyz group saves its own meaning for such a word.
"""

import re
import unicodedata

# Characters that a keyboard or a word processor puts inside a word without changing it.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u0640"))
# Arabic-script letters that Uyghur texts write in more than one form.
# (Persian keyboards type their own yeh and kaf; plain heh stands for Uyghur ae.)
_ARABIC_FORMS = str.maketrans({"\u06cc": "\u0649", "\u06a9": "\u0643", "\u0647": "\u06d5"})


def fold(text: object) -> str:
    """How the import compares words and headers: case folded, "ё" as "е", Arabic-script
    variants as one, punctuation as spaces. Kazakh, Kyrgyz and Uyghur letters are kept."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE).casefold()
    text = text.replace("ё", "е").translate(_ARABIC_FORMS)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


# Kazakh and Kyrgyz letters as a Russian keyboard writes them.
RUSSIAN_KEYBOARD = str.maketrans("әғқңөұүһі", "агкноуухи")


def keyboard_variants(word: str) -> set[str]:
    """The other ways a word is typed: Kazakh and Kyrgyz letters on a Russian keyboard, Latin
    letters without accents."""
    variants = {word.translate(RUSSIAN_KEYBOARD)}
    if any("a" <= ch <= "z" for ch in unicodedata.normalize("NFD", word)):
        stripped = "".join(
            ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch)
        )
        variants.add(unicodedata.normalize("NFC", stripped))
    return variants - {word}


STATUS = {
    "camp": (
        # Russian
        "в лагере|лагерь|в лагере перевоспитания|в лагерь|концлагерь|в концлагере|"
        "в лагере политического перевоспитания|увезли в лагерь|забрали в лагерь|"
        "на перевоспитании|перевоспитание|в учебном центре|"
        # Kazakh
        "лагерде|лагерьде|лагерьде отыр|лагерде отыр|лагерьге алынды|лагерге алынды|"
        "лагерьге әкетілді|лагерге әкетілді|қайта тәрбиелеу лагерінде|тәрбиелеу лагерінде|"
        "саяси тәрбиелеу лагерінде|"
        # Kyrgyz
        "лагерде кармалууда|лагерде отурат|лагерге алынган|кайра тарбиялоо лагеринде|"
        # Uyghur, Arabic script and Latin
        "لاگېردا|لاگېرغا ئېلىپ كېتىلگەن|تەربىيەلەش لاگېرىدا|قايتا تەربىيەلەش لاگېرىدا|"
        "lagérda|lagérgha élip kétilgen|terbiyilesh lagérida|qayta terbiyilesh lagérida|"
        # English
        "camp|in a camp|re-education camp|in camp"
    ),
    "pre_trial": (
        "под следствием|в сизо|сизо|под стражей|арестован|арестована|"
        "тергеуде|тергеу изоляторында|қамауда|қамалды|"
        "тергөөдө|камакта|камалды|"
        "تەكشۈرۈش ئاستىدا|قاماقتا|tekshürüsh astida|qamaqta|"
        "pre-trial|pre trial|pretrial detention|arrested|awaiting trial"
    ),
    "imprisoned": (
        "в тюрьме|тюрьма|осужден|осуждена|приговорен|приговорена|заключен|заключена|"
        "посадили|срок|отбывает срок|"
        "сотталған|сотталды|түрмеде|түрмеге жабылды|абакта|абақта|"
        "соттолгон|соттолду|түрмөдө|түрмөгө камалды|"
        "تۈرمىدە|كېسىلگەن|ھۆكۈم قىلىنغان|türmide|késilgen|höküm qilin'ghan|"
        "imprisoned|sentenced|in prison|prison"
    ),
    "unknown_facility": (
        "место содержания неизвестно|задержан место неизвестно|задержан|задержана|задержаны|"
        "ұсталған|ұсталды|ұсталып кетті|"
        "кармалган|кармалды|"
        "تۇتۇلغان|تۇتۇپ كېتىلگەن|tutulghan|tutup kétilgen|"
        "detained|unknown facility"
    ),
    "disappeared": (
        "пропал без вести|пропала без вести|пропали без вести|пропал|пропала|исчез|исчезла|"
        "связь потеряна|нет связи|"
        "хабарсыз кеткен|хабар-ошарсыз|хабар ошарсыз|хабар ошарсыз кеткен|"
        "із түзсіз жоғалған|ізсіз жоғалған|жоғалған|жоғалып кетті|"
        "дайынсыз жоголгон|дайынсыз|жоголгон|жоголуп кетти|кабарсыз|"
        "دېرىكسىز يوقالغان|ئىز دېرەكسىز|يوقاپ كەتكەن|خەۋەرسىز|"
        "dériksiz yoqalghan|iz dëreksiz|iz dereksiz|yoqap ketken|xewersiz|"
        "disappeared|missing"
    ),
    "forced_labour": (
        "принудительный труд|на принудительных работах|принудительные работы|на заводе|"
        "мәжбүрлі еңбек|мәжбүрлі еңбекте|мәжбүрлі жұмыста|"
        "аргасыз эмгек|аргасыз эмгекте|мажбурлап иштетүү|"
        "مەجبۇرىي ئەمگەك|mejburiy emgek|"
        "forced labour|forced labor"
    ),
    "restricted": (
        "под домашним арестом|домашний арест|паспорт отобран|паспорт изъят|"
        "ограничение передвижения|ограничен в передвижении|под надзором|"
        "үй қамағында|үй қамауында|бақылауда|паспорты алынған|"
        "үй камагында|көзөмөлдө|"
        "ئۆي قاماقتا|نازارەت ئاستىدا|öy qamaqta|nazaret astida|"
        "house arrest|restricted|restricted movement|passport confiscated"
    ),
    "released_china": (
        "освобожден|освобождена|освобождены|освобожден в китае|освобождена в китае|на свободе|"
        "отпустили|вышел|вышла|"
        "босатылған|босатылды|босап шықты|"
        "бошотулган|бошотулду|"
        "قويۇپ بېرىلگەن|ئازاد قىلىنغان|qoyup bérilgen|azad qilin'ghan|"
        "released|released in china"
    ),
    "released_abroad": (
        "освобожден выехал|освобождена выехала|выехал за границу|выехала за границу|"
        "за границей|приехал в казахстан|приехала в казахстан|"
        "шетелге шыққан|қазақстанға келді|"
        "чет өлкөгө чыккан|кыргызстанга келди|"
        "چەتئەلگە چىققان|chet'elge chiqqan|"
        "released abroad|released and abroad"
    ),
    "died_in_custody": (
        "умер в заключении|умерла в заключении|погиб в лагере|погибла в лагере|"
        "умер в лагере|умерла в лагере|умер в тюрьме|умерла в тюрьме|"
        "қамауда қайтыс болған|лагерьде қайтыс болды|лагерде қайтыс болды|"
        "камакта каза болгон|лагерде каза болду|"
        "قاماقتا ئۆلگەن|لاگېردا ئۆلگەن|qamaqta ölgen|lagérda ölgen|"
        "died in custody"
    ),
    "died": (
        "умер|умерла|скончался|скончалась|погиб|погибла|"
        "қайтыс болған|қайтыс болды|"
        "каза болгон|каза болду|"
        "ۋاپات بولغان|ئۆلگەن|ئالەمدىن ئۆتكەن|wapat bolghan|ölgen|alemdin ötken|"
        "died|dead|deceased"
    ),
    "unknown": (
        "неизвестно|нет данных|нет информации|не известно|"
        "белгісіз|мәлімет жоқ|"
        "белгисиз|маалымат жок|"
        "نامەلۇم|ئېنىق ئەمەس|namelum|éniq emes|"
        "unknown|n a"
    ),
}

ETHNICITY = {
    "uyghur": ("уйгур|уйгурка|уйгуры|ұйғыр|уйғыр|уйгур улуту|ئۇيغۇر|uyghur|uighur|uygur"),
    "kazakh": "казах|казашка|казахи|қазақ|казак|قازاق|qazaq|kazakh|kazak",
    "kyrgyz": "киргиз|киргизка|кыргыз|кыргызка|қырғыз|قىرغىز|qirghiz|kyrgyz|kirghiz|kirgiz",
    "hui": "хуэй|дунган|дунганка|дүнген|дунган улуту|خۇيزۇ|tungan|hui|dungan",
    "uzbek": "узбек|узбечка|өзбек|ئۆزبېك|özbék|uzbek",
    "tajik": "таджик|таджичка|тәжік|тажик|تاجىك|tajik",
    "tatar": "татар|татарка|تاتار|tatar",
    "other": "другое|другая|басқа|башка|باشقا|bashqa|other",
    "unknown": "неизвестно|белгісіз|белгисиз|نامەلۇم|namelum|unknown",
}

# The relative's relationship to the detained person: "сын", "ұлы" mean the relative is their son.
RELATIONSHIP = {
    "mother": (
        "мать|мама|матерь|ана|анасы|анам|шешесі|шешем|эне|энеси|ئانا|ئانىسى|ana|anisi|mother"
    ),
    "father": ("отец|папа|әке|әкесі|әкем|ئاتا|ئاتىسى|دادا|دادىسى|ata|atisi|dada|dadisi|father"),
    "parent": (
        "родитель|родители|ата ана|ата анасы|ата эне|ата энеси|ئاتا ئانا|ata ana|parent|parents"
    ),
    "daughter": "дочь|дочка|дочери|қызы|қыз|қызым|кызы|قىزى|qizi|daughter",
    "son": "сын|сыновья|ұлы|ұл|ұлым|уулу|уулум|ئوغلى|oghli|son",
    "child": "ребенок|дети|бала|баласы|балалары|балдары|بالىسى|balisi|child|children",
    "wife": ("жена|супруга|әйелі|әйел|әйелім|зайыбы|аялы|аялым|ئايالى|ayali|wife"),
    "husband": ("муж|супруг|күйеуі|күйеуім|ері|күйөөсү|күйөөм|ئېرى|éri|husband"),
    "spouse": "супруги|жұбайы|жубайы|жолдасы|ئەر ئايال|spouse",
    "sister": (
        "сестра|сестры|старшая сестра|младшая сестра|"
        "апасы|әпкесі|сіңлісі|қарындасы|"
        "эжеси|сиңдиси|карындашы|"
        "ئاچىسى|سىڭلىسى|achisi|singlisi|"
        "sister"
    ),
    "brother": (
        "брат|братья|старший брат|младший брат|"
        "ағасы|інісі|"
        "агасы|иниси|байкесы|"
        "ئاكىسى|ئىنىسى|akisi|inisi|"
        "brother"
    ),
    "grandparent": (
        "бабушка|дедушка|"
        "әжесі|әже|атасы|ата|"
        "чоң энеси|чоң атасы|таенеси|"
        "چوڭ ئانىسى|چوڭ دادىسى|chong anisi|chong dadisi|"
        "grandparent|grandmother|grandfather"
    ),
    "grandchild": (
        "внук|внучка|внуки|"
        "немере|немересі|жиені|"
        "небере|небереси|"
        "نەۋرىسى|newrisi|"
        "grandchild|grandson|granddaughter"
    ),
    "other": (
        "родственник|родственница|племянник|племянница|дядя|тетя|двоюродный брат|"
        "двоюродная сестра|"
        "туысы|туыс|нағашысы|"
        "тууганы|"
        "تۇغقىنى|tughqini|"
        "relative|other|nephew|niece|uncle|aunt|cousin"
    ),
}

GENDER = {
    "female": "ж|жен|женский|женщина|әйел|аял|кыз|ئايال|ayal|f|female|woman",
    "male": "м|муж|мужской|мужчина|ер|еркек|эркек|ئەر|er|m|male|man",
    "unknown": "неизвестно|белгісіз|белгисиз|نامەلۇم|unknown",
}

TESTIMONY_MEDIUM = {
    "video": "видео|видеообращение|бейне|бейнеүндеу|ۋىدېيو|video",
    "written": "письменно|письмо|заявление|жазбаша|арыз|жазуу жүзүндө|يازما|yazma|written",
    "interview": "интервью|беседа|лично|сұхбат|маек|ئۇچرىشىش|interview|in person",
    "phone": "телефон|по телефону|звонок|телефонмен|تېلېفون|télefon|phone|call",
}

# Xinjiang's prefectures as Kazakh, Russian, Kyrgyz, Uyghur and English sheets write them.
PREFECTURE = {
    "urumqi": "үрімжі|урумчи|үрүмчү|урумци|ئۈرۈمچى|ürümchi|urumqi|urumchi|ürümqi",
    "karamay": "қарамай|карамай|قاراماي|karamay|qaramay",
    "turpan": "тұрпан|турфан|турпан|تۇرپان|turpan|turfan",
    "hami": "құмыл|хами|кумул|قۇمۇل|hami|kumul|qumul",
    "changji": "сандзи|сандұңгы|чанцзи|санжы|سانجى|changji|sanji",
    "bortala": "бортала|боротала|بۆرتالا|bortala|boratala",
    "bayingolin": "баянғол|баянгол|баян гол|баингол|بايىنغولىن|bayingolin|bayingol",
    "aksu": "ақсу|аксу|ئاقسۇ|aksu|aqsu",
    "kizilsu": "қызылсу|кызылсу|قىزىلسۇ|kizilsu|qizilsu|kyzylsu",
    "kashgar": "қашқар|кашгар|кашкар|قەشقەر|kashgar|qeshqer|kashi",
    "hotan": "хотан|қотан|котон|خوتەن|hotan|khotan|xoten",
    "ili": "іле|или|иле|غۇلجا|ئىلى|ili|ghulja|іле қазақ автономиялық облысы",
    "tacheng": "тарбағатай|тарбагатай|чугучак|тачэн|چۆچەك|tacheng|tarbagatai|chochek",
    "altay": "алтай|ئالتاي|altay|altai",
    "xpcc": "бинтуань|синьцзянский производственно строительный корпус|بىڭتۇەن|xpcc|bingtuan",
    "outside": "за пределами синьцзяна|вне синьцзяна|outside xinjiang|outside",
}
