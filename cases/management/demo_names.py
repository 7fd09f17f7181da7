"""Name parts for invented demo people, with the same name in each script.

Every person seed_demo makes is invented: common given names combined at random. Each row is one
name as Kazakh/Kyrgyz/Russian Cyrillic, Latin, and the Chinese transcription used on PRC papers;
Uyghur names carry their Uyghur Arabic form too.
"""

# (Cyrillic, Latin, Chinese)
KAZAKH_MALE = [
    ("Ерлан", "Yerlan", "叶尔兰"),
    ("Нұрлан", "Nurlan", "努尔兰"),
    ("Асқар", "Askar", "阿斯卡尔"),
    ("Бауыржан", "Bauyrzhan", "巴吾尔江"),
    ("Қайрат", "Kairat", "凯拉特"),
    ("Серік", "Serik", "塞力克"),
    ("Дәурен", "Dauren", "达吾然"),
    ("Марат", "Marat", "马拉特"),
    ("Айдос", "Aidos", "艾多斯"),
    ("Ербол", "Yerbol", "叶尔波力"),
    ("Алмас", "Almas", "阿勒玛斯"),
    ("Асхат", "Askhat", "阿斯哈特"),
    ("Берік", "Berik", "别力克"),
    ("Ермек", "Yermek", "叶尔麦克"),
    ("Талғат", "Talgat", "塔力哈提"),
    ("Қуаныш", "Kuanysh", "夸尼西"),
    ("Ардақ", "Ardak", "阿尔达克"),
    ("Ғалым", "Galym", "哈力木"),
    ("Жақсылық", "Zhaksylyk", "加克斯勒克"),
    ("Мұхтар", "Mukhtar", "木合塔尔"),
    ("Оспан", "Ospan", "沃斯潘"),
    ("Ахмет", "Akhmet", "艾合买提"),
    ("Нұрғали", "Nurgali", "努尔哈力"),
    ("Әбдірахман", "Abdirakhman", "阿不都热合曼"),
    ("Төлеген", "Tolegen", "托列根"),
    ("Сәрсен", "Sarsen", "沙尔森"),
]
KAZAKH_FEMALE = [
    ("Гүлнар", "Gulnar", "古丽娜尔"),
    ("Айгүл", "Aigul", "阿依古丽"),
    ("Жанар", "Zhanar", "加娜尔"),
    ("Айнұр", "Ainur", "艾努尔"),
    ("Динара", "Dinara", "迪娜拉"),
    ("Сәуле", "Saule", "沙吾列"),
    ("Әлия", "Aliya", "阿丽亚"),
    ("Мадина", "Madina", "麦迪娜"),
    ("Ұлжан", "Ulzhan", "吾勒加娜"),
    ("Күләш", "Kulash", "库拉西"),
    ("Ботагөз", "Botagoz", "波塔果孜"),
    ("Гүлжан", "Gulzhan", "古丽加娜"),
    ("Назгүл", "Nazgul", "娜孜古丽"),
    ("Перизат", "Perizat", "帕丽扎提"),
    ("Сандуғаш", "Sandugash", "桑杜哈西"),
    ("Ақмарал", "Akmaral", "阿克玛拉勒"),
]
KYRGYZ_MALE = [
    ("Бакыт", "Bakyt", "巴合提"),
    ("Азамат", "Azamat", "阿扎马特"),
    ("Эрмек", "Ermek", "艾尔麦克"),
    ("Нурбек", "Nurbek", "努尔别克"),
    ("Темир", "Temir", "铁米尔"),
    ("Улан", "Ulan", "乌兰"),
    ("Канат", "Kanat", "卡纳特"),
    ("Жолдош", "Zholdosh", "卓勒多西"),
    ("Алмазбек", "Almazbek", "阿勒马孜别克"),
    ("Мирлан", "Mirlan", "米尔兰"),
]
KYRGYZ_FEMALE = [
    ("Айзада", "Aizada", "艾扎达"),
    ("Гүлзат", "Gulzat", "古丽扎提"),
    ("Нургүл", "Nurgul", "努尔古丽"),
    ("Жыпар", "Zhypar", "吉帕尔"),
    ("Чолпон", "Cholpon", "乔勒潘"),
    ("Бермет", "Bermet", "别尔麦特"),
    ("Асел", "Asel", "阿塞勒"),
]
# (Cyrillic, Uyghur Latin, Chinese, Uyghur Arabic)
UYGHUR_MALE = [
    ("Абдурехим", "Abdurehim", "阿不都热依木", "ئابدۇرېھىم"),
    ("Мәхмәт", "Mehmet", "买买提", "مەھمەت"),
    ("Турсун", "Tursun", "吐尔逊", "تۇرسۇن"),
    ("Абликим", "Ablikim", "阿布力克木", "ئابلىكىم"),
    ("Нурмәмәт", "Nurmemet", "努尔麦麦提", "نۇرمەمەت"),
    ("Әкбәр", "Ekber", "艾克拜尔", "ئەكبەر"),
    ("Ахмәтжан", "Ehmetjan", "艾合买提江", "ئەھمەتجان"),
    ("Қурбан", "Qurban", "库尔班", "قۇربان"),
    ("Өмәр", "Ömer", "吾麦尔", "ئۆمەر"),
    ("Алим", "Alim", "阿里木", "ئالىم"),
    ("Яқуп", "Yaqup", "亚库甫", "ياقۇپ"),
    ("Муһәммәт", "Muhemmet", "穆罕默德", "مۇھەممەت"),
    ("Әхтәм", "Ekhtem", "艾合坦木", "ئەختەم"),
    ("Сопи", "Sopi", "索皮", "سوپى"),
]
UYGHUR_FEMALE = [
    ("Гүлнисә", "Gülnisa", "古丽尼沙", "گۈلنىسا"),
    ("Айнур", "Aynur", "阿依努尔", "ئاينۇر"),
    ("Патигүл", "Patigül", "帕提古丽", "پاتىگۈل"),
    ("Зулпийә", "Zulpiye", "祖丽皮亚", "زۇلپىيە"),
    ("Һалимә", "Halime", "哈丽曼", "ھالىمە"),
    ("Арзугүл", "Arzugül", "阿尔孜古丽", "ئارزۇگۈل"),
    ("Мәрйәм", "Meryem", "麦尔言", "مەريەم"),
    ("Ханиқиз", "Haniqiz", "汗尼克孜", "خانىقىز"),
    ("Сәнәм", "Senem", "赛乃木", "سەنەم"),
    ("Гүлбаһар", "Gülbahar", "古丽巴哈尔", "گۈلباھار"),
]
