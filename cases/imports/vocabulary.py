"""The words volunteers use for statuses, ethnicities, relationships, genders and places, in
Russian, Kazakh, Kyrgyz and English, mapped to the model's codes.

Every code's own value and English label are accepted too, so a sheet exported from casetracker
reads back. Words are compared folded (`fold`): lower case, "ё" as "е", punctuation as spaces.
"""

import re

from django.db.models import Choices

from cases.models import Case, Ethnicity, Person, Prefecture, Relationship, Testimony


def fold(text: object) -> str:
    text = str(text).lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class Vocabulary:
    def __init__(self, choices: type[Choices], words: dict[str, str]) -> None:
        self.choices = choices
        self.words: dict[str, str] = {}
        for code, label in choices.choices:
            self.words[fold(code)] = code
            self.words[fold(label)] = code
        for code, spellings in words.items():
            for spelling in spellings.split("|"):
                self.words[fold(spelling)] = code

    def get(self, text: object) -> str | None:
        """The code for `text`, or None when the word is not known."""
        return self.words.get(fold(text))

    def expected(self) -> str:
        """What to tell a volunteer whose word was not understood."""
        return ", ".join(str(label) for label in self.choices.labels)


STATUS = Vocabulary(
    Case.Status,
    {
        Case.Status.CAMP: (
            "в лагере|лагерь|в лагере перевоспитания|концлагерь|лагерде|лагерьде|"
            "лагерьде отыр|қайта тәрбиелеу лагерінде|лагерде кармалууда|camp|in a camp|"
            "re-education camp"
        ),
        Case.Status.PRE_TRIAL: (
            "под следствием|в сизо|сизо|под стражей|тергеуде|тергөөдө|pre-trial|pre trial|"
            "pretrial detention"
        ),
        Case.Status.IMPRISONED: (
            "в тюрьме|тюрьма|осужден|осуждена|осуждён|осуждёна|заключен|заключена|"
            "сотталған|түрмеде|абакта|соттолгон|түрмөдө|imprisoned|sentenced|in prison|prison"
        ),
        Case.Status.UNKNOWN_FACILITY: (
            "место содержания неизвестно|задержан место неизвестно|задержан|задержана|"
            "ұсталған|кармалган|detained|unknown facility"
        ),
        Case.Status.DISAPPEARED: (
            "пропал без вести|пропала без вести|пропал|пропала|исчез|исчезла|"
            "хабарсыз кеткен|із түзсіз жоғалған|жоғалған|дайынсыз жоголгон|жоголгон|"
            "disappeared|missing"
        ),
        Case.Status.FORCED_LABOUR: (
            "принудительный труд|на принудительных работах|принудительные работы|"
            "мәжбүрлі еңбек|мәжбүрлі жұмыста|аргасыз эмгек|forced labour|forced labor"
        ),
        Case.Status.RESTRICTED: (
            "под домашним арестом|домашний арест|паспорт отобран|паспорт изъят|"
            "ограничение передвижения|ограничен в передвижении|үй қамағында|үй камагында|"
            "house arrest|restricted|restricted movement|passport confiscated"
        ),
        Case.Status.RELEASED_CHINA: (
            "освобожден|освобождена|освобожден в китае|освобождена в китае|на свободе|"
            "босатылған|босатылды|бошотулган|бошотулду|released|released in china"
        ),
        Case.Status.RELEASED_ABROAD: (
            "освобожден выехал|освобождена выехала|выехал за границу|выехала за границу|"
            "за границей|шетелге шыққан|чет өлкөгө чыккан|released abroad|released and abroad"
        ),
        Case.Status.DIED_IN_CUSTODY: (
            "умер в заключении|умерла в заключении|погиб в лагере|погибла в лагере|"
            "умер в лагере|умерла в лагере|умер в тюрьме|умерла в тюрьме|"
            "қамауда қайтыс болған|камакта каза болгон|died in custody"
        ),
        Case.Status.DIED: (
            "умер|умерла|скончался|скончалась|погиб|погибла|қайтыс болған|қайтыс болды|"
            "каза болгон|died|dead|deceased"
        ),
        Case.Status.UNKNOWN: "неизвестно|нет данных|нет информации|белгісіз|белгисиз|unknown|n a",
    },
)

ETHNICITY = Vocabulary(
    Ethnicity,
    {
        Ethnicity.UYGHUR: "уйгур|уйгурка|уйгуры|ұйғыр|уйғыр|уйгур улуту|uyghur|uighur|uygur",
        Ethnicity.KAZAKH: "казах|казашка|казахи|қазақ|казак|kazakh|kazak|qazaq",
        Ethnicity.KYRGYZ: "киргиз|киргизка|кыргыз|кыргызка|қырғыз|kyrgyz|kirghiz|kirgiz",
        Ethnicity.HUI: "хуэй|дунган|дунганка|дүнген|дунган улуту|hui|dungan",
        Ethnicity.UZBEK: "узбек|узбечка|өзбек|uzbek",
        Ethnicity.TAJIK: "таджик|таджичка|тәжік|тажик|tajik",
        Ethnicity.TATAR: "татар|татарка|tatar",
        Ethnicity.OTHER: "другое|другая|басқа|башка|other",
        Ethnicity.UNKNOWN: "неизвестно|белгісіз|белгисиз|unknown",
    },
)

# The relative's relationship to the detained person: "сын" means the relative is their son.
RELATIONSHIP = Vocabulary(
    Relationship.Kind,
    {
        Relationship.Kind.MOTHER: "мать|мама|ана|анасы|апа|эне|энеси|mother",
        Relationship.Kind.FATHER: "отец|папа|әке|әкесі|father",
        Relationship.Kind.PARENT: "родитель|родители|ата ана|ата энеси|parent|parents",
        Relationship.Kind.DAUGHTER: "дочь|дочка|қызы|қыз|кызы|daughter",
        Relationship.Kind.SON: "сын|ұлы|ұл|уулу|son",
        Relationship.Kind.CHILD: "ребенок|дети|бала|баласы|баласы|child|children",
        Relationship.Kind.WIFE: "жена|супруга|әйелі|әйел|аялы|аялым|wife",
        Relationship.Kind.HUSBAND: "муж|супруг|күйеуі|күйөөсү|husband",
        Relationship.Kind.SPOUSE: "супруги|жұбайы|жубайы|spouse",
        Relationship.Kind.SISTER: (
            "сестра|апасы|әпкесі|сіңлісі|қарындасы|эжеси|сиңдиси|карындашы|sister"
        ),
        Relationship.Kind.BROTHER: "брат|ағасы|інісі|агасы|иниси|brother",
        Relationship.Kind.GRANDPARENT: (
            "бабушка|дедушка|әжесі|әже|чоң энеси|чоң атасы|grandparent|grandmother|grandfather"
        ),
        Relationship.Kind.GRANDCHILD: (
            "внук|внучка|немере|немересі|небере|небереси|grandchild|grandson|granddaughter"
        ),
        Relationship.Kind.OTHER: (
            "родственник|родственница|племянник|племянница|дядя|тетя|туысы|туыс|тууганы|"
            "relative|other|nephew|niece|uncle|aunt|cousin"
        ),
    },
)

GENDER = Vocabulary(
    Person.Gender,
    {
        Person.Gender.FEMALE: "ж|жен|женский|женщина|әйел|аял|кыз|f|female|woman",
        Person.Gender.MALE: "м|муж|мужской|мужчина|ер|еркек|эркек|m|male|man",
        Person.Gender.UNKNOWN: "неизвестно|белгісіз|белгисиз|unknown",
    },
)

TESTIMONY_MEDIUM = Vocabulary(
    Testimony.Medium,
    {
        Testimony.Medium.VIDEO: "видео|бейне|video",
        Testimony.Medium.WRITTEN: "письменно|письмо|заявление|жазбаша|жазуу жүзүндө|written",
        Testimony.Medium.INTERVIEW: "интервью|беседа|лично|сұхбат|маек|interview|in person",
        Testimony.Medium.PHONE: "телефон|по телефону|звонок|телефонмен|phone|call",
    },
)

# Xinjiang's prefectures as Kazakh, Russian, Kyrgyz, Uyghur-Latin and English sheets write them.
PREFECTURE = Vocabulary(
    Prefecture,
    {
        Prefecture.URUMQI: "үрімжі|урумчи|үрүмчү|урумци|urumqi|urumchi|ürümqi",
        Prefecture.KARAMAY: "қарамай|карамай|karamay|qaramay",
        Prefecture.TURPAN: "тұрпан|турфан|турпан|turpan|turfan",
        Prefecture.HAMI: "құмыл|хами|кумул|hami|kumul|qumul",
        Prefecture.CHANGJI: "сандзи|сандұңгы|чанцзи|санжы|changji|sanji",
        Prefecture.BORTALA: "бортала|боротала|bortala|boratala",
        Prefecture.BAYINGOLIN: "баянғол|баянгол|баян гол|баингол|bayingolin|bayingol",
        Prefecture.AKSU: "ақсу|аксу|aksu|aqsu",
        Prefecture.KIZILSU: "қызылсу|кызылсу|kizilsu|qizilsu|kyzylsu",
        Prefecture.KASHGAR: "қашқар|кашгар|кашкар|kashgar|qeshqer|kashi",
        Prefecture.HOTAN: "хотан|қотан|котон|hotan|khotan|xoten",
        Prefecture.ILI: "іле|или|иле|ili|ghulja|іле қазақ автономиялық облысы",
        Prefecture.TACHENG: "тарбағатай|тарбагатай|чугучак|тачэн|tacheng|tarbagatai|chochek",
        Prefecture.ALTAY: "алтай|altay|altai",
        Prefecture.XPCC: "бинтуань|синьцзянский производственно строительный корпус|xpcc|bingtuan",
        Prefecture.OUTSIDE: "за пределами синьцзяна|вне синьцзяна|outside xinjiang|outside",
    },
)
