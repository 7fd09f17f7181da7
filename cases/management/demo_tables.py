"""The tables seed_demo draws from: real reference data (countries, advocacy groups named in public
reporting, places in Xinjiang) and the weights and phrases that make invented cases look like
the real ones. Names of invented people are in demo_names.
"""

from cases.models import Case, CaseEvent, Ethnicity, Person, Prefecture, Relationship
from orgs.models import Organization

# Real reference data: ISO 3166 codes and names.
COUNTRIES = [
    ("CN", "China", "Китай", "中国"),
    ("KZ", "Kazakhstan", "Казахстан", "Қазақстан"),
    ("KG", "Kyrgyzstan", "Киргизия", "Кыргызстан"),
    ("UZ", "Uzbekistan", "Узбекистан", "Oʻzbekiston"),
    ("TJ", "Tajikistan", "Таджикистан", "Тоҷикистон"),
    ("TR", "Türkiye", "Турция", "Türkiye"),
    ("RU", "Russia", "Россия", "Россия"),
    ("MN", "Mongolia", "Монголия", "Монгол Улс"),
    ("DE", "Germany", "Германия", "Deutschland"),
    ("NL", "Netherlands", "Нидерланды", "Nederland"),
    ("SE", "Sweden", "Швеция", "Sverige"),
    ("NO", "Norway", "Норвегия", "Norge"),
    ("GB", "United Kingdom", "Великобритания", "United Kingdom"),
    ("FR", "France", "Франция", "France"),
    ("US", "United States", "США", "United States"),
    ("CA", "Canada", "Канада", "Canada"),
    ("AU", "Australia", "Австралия", "Australia"),
    ("JP", "Japan", "Япония", "日本"),
]
COUNTRY_NOTES = {
    "KZ": "Runs a programme for ethnic Kazakh returnees (kandas, formerly oralman) from China.",
    "KG": "Ethnic Kyrgyz from China (kayrylman) may settle under a returnee programme.",
}

# Real groups named in public reporting; descriptions are kept general and hold no contacts.
ORGANIZATIONS = [
    {
        "name": "Atajurt Kazakh Human Rights",
        "slug": "atajurt",
        "country": "KZ",
        "city": "Almaty",
        "kind": Organization.Kind.GRASSROOTS,
        "description": "Volunteer group in Almaty that records testimonies of relatives of "
        "people detained in Xinjiang.",
    },
    {
        "name": "Committee to Protect Kyrgyz People in China",
        "slug": "kyrgyz-committee",
        "country": "KG",
        "city": "Bishkek",
        "kind": Organization.Kind.GRASSROOTS,
        "description": "Group in Bishkek that documents ethnic Kyrgyz detained in Xinjiang "
        "and supports their families in Kyrgyzstan.",
    },
    {
        "name": "Example Documentation Project (demo)",
        "slug": "example-project",
        "country": "TR",
        "city": "Istanbul",
        "kind": Organization.Kind.NGO,
        "description": "An invented group for the demo site.",
    },
]

# Counties and cities by prefecture, as families name them.
PLACES = {
    Prefecture.ILI: ["Ghulja", "Tekes", "Nilka", "Künes", "Mongghulküre", "Qapqal", "Zhaosu"],
    Prefecture.TACHENG: ["Chöchek", "Dörböljin", "Toli", "Shiho", "Tokkuztara"],
    Prefecture.ALTAY: ["Altay", "Burultoqay", "Köktogay", "Jeminay", "Kaba"],
    Prefecture.URUMQI: ["Tianshan district", "Saybagh district", "Midong district"],
    Prefecture.CHANGJI: ["Changji", "Manas", "Qutubi", "Mori", "Jimsar"],
    Prefecture.KASHGAR: ["Kashgar", "Kargilik", "Yengisar", "Peyziwat", "Yarkand", "Konasheher"],
    Prefecture.HOTAN: ["Hotan", "Keriye", "Guma", "Qaraqash", "Lop"],
    Prefecture.AKSU: ["Aksu", "Kuchar", "Uchturpan", "Awat"],
    Prefecture.KIZILSU: ["Artush", "Akto", "Ulugchat", "Akchi"],
    Prefecture.TURPAN: ["Turpan", "Toksun", "Pichan"],
    Prefecture.HAMI: ["Hami", "Barköl"],
    Prefecture.BORTALA: ["Bortala", "Jing", "Alashankou"],
    Prefecture.BAYINGOLIN: ["Korla", "Hejing", "Bugur"],
    Prefecture.KARAMAY: ["Karamay"],
}
HOMELANDS = {
    Ethnicity.KAZAKH: [Prefecture.ILI] * 4
    + [Prefecture.TACHENG] * 3
    + [Prefecture.ALTAY] * 3
    + [Prefecture.CHANGJI, Prefecture.URUMQI, Prefecture.BORTALA, Prefecture.HAMI],
    Ethnicity.KYRGYZ: [Prefecture.KIZILSU] * 5 + [Prefecture.ILI, Prefecture.AKSU],
    Ethnicity.UYGHUR: [Prefecture.KASHGAR] * 3
    + [Prefecture.HOTAN] * 2
    + [Prefecture.AKSU, Prefecture.URUMQI, Prefecture.TURPAN, Prefecture.ILI, Prefecture.KARAMAY],
}
# Which groups, and which diaspora, each ethnicity's cases come through.
ETHNICITY_WEIGHTS = [
    (Ethnicity.KAZAKH, 55),
    (Ethnicity.UYGHUR, 25),
    (Ethnicity.KYRGYZ, 12),
    (Ethnicity.HUI, 2),
    (Ethnicity.UZBEK, 2),
    (Ethnicity.TATAR, 1),
    (Ethnicity.TAJIK, 1),
    (Ethnicity.OTHER, 1),
    (Ethnicity.UNKNOWN, 1),
]
RELATIVE_KINDS = [
    # (relationship of the relative to the detained person, gender of the relative)
    (Relationship.Kind.DAUGHTER, Person.Gender.FEMALE),
    (Relationship.Kind.SON, Person.Gender.MALE),
    (Relationship.Kind.WIFE, Person.Gender.FEMALE),
    (Relationship.Kind.HUSBAND, Person.Gender.MALE),
    (Relationship.Kind.SISTER, Person.Gender.FEMALE),
    (Relationship.Kind.BROTHER, Person.Gender.MALE),
    (Relationship.Kind.GRANDCHILD, Person.Gender.FEMALE),
]
SUMMARIES = {
    Case.Status.CAMP: "Taken to a political education camp after returning from abroad.",
    Case.Status.PRE_TRIAL: "Held in a detention centre awaiting trial; the family has no papers.",
    Case.Status.IMPRISONED: "Sentenced to prison; the family learned of the verdict by phone.",
    Case.Status.UNKNOWN_FACILITY: "Detained; where they are held is not known.",
    Case.Status.DISAPPEARED: "Contact was lost; nothing has been heard since.",
    Case.Status.FORCED_LABOUR: "Sent to work in a factory after a camp; cannot leave.",
    Case.Status.RESTRICTED: "Released but under house arrest; passport taken.",
    Case.Status.RELEASED_CHINA: "Released; lives in Xinjiang under watch.",
    Case.Status.RELEASED_ABROAD: "Released and left China; has testified abroad.",
    Case.Status.DIED_IN_CUSTODY: "Died in custody; the body was not returned to the family.",
    Case.Status.DIED: "Died after release; the family links the death to the detention.",
    Case.Status.UNKNOWN: "The family has had no news.",
}
OCCUPATIONS = [
    "farmer", "herder", "teacher", "driver", "trader", "imam", "doctor", "retired", "student",
    "accountant", "", "",
]  # fmt: skip
CITIES = ["Almaty", "Astana", "Bishkek", "Istanbul", "Zharkent", "Taldykorgan", "Osh"]
SUSPECTED_REASONS = [
    "religion", "travel_abroad", "relatives_abroad", "foreign_citizenship", "phone_apps",
]  # fmt: skip
FOLLOW_UPS = {
    Case.Status.IMPRISONED: CaseEvent.Kind.SENTENCED,
    Case.Status.RELEASED_CHINA: CaseEvent.Kind.RELEASED,
    Case.Status.RELEASED_ABROAD: CaseEvent.Kind.RELEASED,
    Case.Status.DIED_IN_CUSTODY: CaseEvent.Kind.DIED,
    Case.Status.DIED: CaseEvent.Kind.DIED,
    Case.Status.DISAPPEARED: CaseEvent.Kind.CONTACT_LOST,
    Case.Status.RESTRICTED: CaseEvent.Kind.EXIT_BAN,
    Case.Status.FORCED_LABOUR: CaseEvent.Kind.TRANSFERRED,
}
