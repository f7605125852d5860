"""Other forms of the same name, as an agency may record it instead of the registered one.

Nicknames and short forms (Tom for Thomas), spellings of a name from another script or custom
(Muhammad / Mohammed), names written in their own script, English spelling variants
(Katherine / Kathryn, Davies / Davis) and Chinese given names split into syllables.
"""

from __future__ import annotations

import itertools

# Chinese given names by syllable, recorded as 'Xin Yi', 'Xin-yi' or 'Xinyi'.
CHINESE_SYLLABLES = {
    "Xinyi": ("Xin", "yi"),
    "Jiahui": ("Jia", "hui"),
    "Yuting": ("Yu", "ting"),
    "Zihan": ("Zi", "han"),
    "Siyu": ("Si", "yu"),
    "Yiting": ("Yi", "ting"),
    "Xiaoyu": ("Xiao", "yu"),
    "Haoran": ("Hao", "ran"),
    "Yuxuan": ("Yu", "xuan"),
    "Junjie": ("Jun", "jie"),
    "Yichen": ("Yi", "chen"),
    "Zhiwei": ("Zhi", "wei"),
    "Tianyi": ("Tian", "yi"),
    "Jiahao": ("Jia", "hao"),
    "Wing Yan": ("Wing", "Yan"),
    "Hoi Yan": ("Hoi", "Yan"),
    "Ka Man": ("Ka", "Man"),
    "Ka Ho": ("Ka", "Ho"),
    "Chi Wing": ("Chi", "Wing"),
}


# Short forms and nicknames: formal -> informal ones an agency may record instead.
_NICKNAMES_TABLE = """
Thomas:Tom,Tommy William:Will,Bill,Billy Elizabeth:Liz,Lizzie,Beth,Libby,Betty
John:Jack,Johnny James:Jim,Jimmy,Jamie Robert:Rob,Bob,Bobby,Robbie Michael:Mike,Mikey,Mick
Christopher:Chris Daniel:Dan,Danny Matthew:Matt Joseph:Joe,Joey Samuel:Sam,Sammy
Benjamin:Ben,Benji Alexander:Alex,Xander Nicholas:Nick,Nicky Anthony:Tony,Ant
Jonathan:Jon,Jonny Richard:Rich,Richie,Dick Edward:Ed,Eddie,Ted Charles:Charlie
Henry:Harry,Hal Frederick:Fred,Freddie Theodore:Theo,Teddy Alfred:Alfie,Alf Archibald:Archie
Oliver:Ollie Joshua:Josh Jacob:Jake Zachary:Zach,Zak Harrison:Harry Nathan:Nate,Nat
Timothy:Tim Stephen:Steve Steven:Steve Peter:Pete Andrew:Andy,Drew David:Dave,Davey
Kenneth:Ken,Kenny Ronald:Ron,Ronnie Leonard:Len,Lenny Terence:Terry Lawrence:Larry,Laurie
Gerald:Gerry Sebastian:Seb Patrick:Pat,Paddy Francis:Frank Raymond:Ray Dominic:Dom
Callum:Cal Reginald:Reg,Reggie Albert:Bert,Albie Stanley:Stan Gareth:Gaz Daniela:Dani
Katherine:Kate,Kath,Katie Catherine:Cath,Cathy,Kate Eleanor:Ellie,Nell Margaret:Maggie,Peggy
Victoria:Vicky,Tori Jennifer:Jen,Jenny Rebecca:Becky,Becca Samantha:Sam,Sammy Jessica:Jess
Abigail:Abbie,Abi,Abby Isabella:Bella,Izzy Isabelle:Izzy Charlotte:Lottie,Charlie
Natalie:Nat Stephanie:Steph Christine:Chris,Chrissie Deborah:Debbie,Debs Patricia:Pat,Trish
Susan:Sue,Susie Amanda:Mandy Alexandra:Alex,Lexi Olivia:Liv,Livvy Sophie:Soph Amelia:Millie
Matilda:Tilly Florence:Flo Penelope:Penny Josephine:Jo,Josie Joanne:Jo Harriet:Hattie
Georgia:Georgie Kimberley:Kim Nicola:Nicky Jacqueline:Jackie Danielle:Dani Evelyn:Evie
Emily:Em Theresa:Tess Valerie:Val Madison:Maddie Jasmine:Jas Bethany:Beth Leanne:Lea
Oluwaseun:Seun Oluwadamilare:Dami Chukwuemeka:Emeka Oluwatobiloba:Tobi Olufunmilayo:Funmi
Funmilayo:Funmi Chiamaka:Amaka Oluwafemi:Femi Adebayo:Bayo Oluwatoyin:Toyin Temitope:Tope
Chinonso:Nonso Babatunde:Tunde Ayodeji:Ayo Oluwaseyi:Seyi Aleksandra:Ola Małgorzata:Gosia
Katarzyna:Kasia Wojciech:Wojtek Jakub:Kuba Zuzanna:Zuzia Agnieszka:Aga Oleksandr:Sasha
Anastasia:Nastya Yevhen:Zhenya Kateryna:Katya Dmytro:Dima Mohammed:Mo Muhammad:Mo
Abdullah:Abdul Abdul_Rahman:Abdul Ibrahim:Ibby Mustafa:Mus Gurpreet:Preet Harpreet:Harry
"""


def _nickname_map(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for token in table.split():
        formal, _, short = token.partition(":")
        out[formal.replace("_", " ")] = tuple(short.split(","))
    return out


NICKNAMES = _nickname_map(_NICKNAMES_TABLE)

# Spellings of the same name from another script or custom, grouped by who uses them.
_MUSLIM = ("pakistani", "bangladeshi", "arab", "afghan", "somali")
_SLAVIC = ("ukrainian", "bulgarian")
_VARIANT_GROUPS: tuple[tuple[tuple[str, ...], str], ...] = (
    (_MUSLIM, "Muhammad/Mohammed/Mohamed/Mohammad/Muhammed/Mohamad"),
    (_MUSLIM, "Ahmed/Ahmad/Ahmet"),
    (_MUSLIM, "Abdul_Rahman/Abdulrahman/Abdur_Rahman/Abdurrahman/Abdul-Rahman"),
    (_MUSLIM, "Abdullah/Abdulla/Abdallah"),
    (_MUSLIM, "Yusuf/Yousef/Youssef/Yousuf/Yusef"),
    (_MUSLIM, "Ibrahim/Ebrahim/Ibraheem"),
    (_MUSLIM, "Mustafa/Mostafa/Moustafa/Mustapha"),
    (_MUSLIM, "Hussain/Hussein/Husain/Hossain/Husein"),
    (_MUSLIM, "Hassan/Hasan"),
    (_MUSLIM, "Fatima/Fatimah/Fatema/Fathima"),
    (_MUSLIM, "Aisha/Ayesha/Aysha/Aishah"),
    (_MUSLIM, "Maryam/Mariam/Meryem/Mariyam"),
    (_MUSLIM, "Khadija/Khadijah/Khadeeja"),
    (_MUSLIM, "Omar/Umar/Omer"),
    (_MUSLIM, "Usman/Osman/Othman/Uthman"),
    (_MUSLIM, "Hamza/Hamzah"),
    (_MUSLIM, "Zainab/Zaynab/Zeinab"),
    (_MUSLIM, "Amina/Aminah/Ameena"),
    (_MUSLIM, "Khalid/Khaled"),
    (_MUSLIM, "Yahya/Yahia"),
    (_MUSLIM, "Zakariya/Zakaria/Zakariyya/Zakariah"),
    (_MUSLIM, "Rahman/Rehman/Rahmaan"),
    (_MUSLIM, "Mahmood/Mahmud/Mehmood/Mahmoud"),
    (_MUSLIM, "Chaudhry/Choudhury/Chowdhury/Chaudhary/Choudhry"),
    (_MUSLIM, "Qureshi/Quraishi/Kureshi"),
    (_MUSLIM, "Siddiqui/Siddiqi/Siddique"),
    (_MUSLIM, "Yousaf/Yousuf/Yusuf"),
    (_MUSLIM, "Uddin/Udin/Uddeen"),
    (_MUSLIM, "Hoque/Haque/Huq"),
    (_MUSLIM, "Begum/Begom/Bagum"),
    (_MUSLIM, "Akter/Akhtar/Akhter"),
    (_MUSLIM, "Miah/Mia/Meah"),
    (_MUSLIM, "Noor/Nour/Nur"),
    (_MUSLIM, "Layla/Leila/Laila/Leyla"),
    (_MUSLIM, "Saleh/Salih/Saleh"),
    (_MUSLIM, "Suleiman/Sulaiman/Suleyman/Sulayman"),
    (_MUSLIM, "Mansour/Mansoor/Mansur"),
    (_MUSLIM, "Kareem/Karim"),
    (_MUSLIM, "Qasim/Kasim/Qassim"),
    (_MUSLIM, "Sayed/Syed/Said/Sayyid"),
    (_MUSLIM, "Abbas/Abas"),
    (_MUSLIM, "Mohammadi/Mohammady/Muhammadi"),
    (_MUSLIM, "Hussaini/Husseini/Hosseini"),
    (_MUSLIM, "Noori/Nouri/Nuri"),
    (_MUSLIM, "Zahra/Zehra/Zahraa"),
    (("somali",), "Mohamed/Mohammed/Maxamed/Mohamad"),
    (("somali",), "Abdi/Cabdi"),
    (("somali",), "Ali/Cali"),
    (("somali",), "Ahmed/Axmed/Ahmad"),
    (("somali",), "Hassan/Xasan/Hasan"),
    (("somali",), "Omar/Cumar"),
    (("somali",), "Abdullahi/Abdulahi/Cabdullahi"),
    (("somali",), "Abdirahman/Abdurahman/Cabdiraxmaan/Abdi_Rahman"),
    (("somali",), "Mohamud/Mahamud/Maxamuud/Mohamoud"),
    (("somali",), "Hussein/Xuseen/Hussain"),
    (("somali",), "Faduma/Fadumo/Fatuma"),
    (("somali",), "Hawa/Xawo/Hawo"),
    (("somali",), "Hodan/Hodon"),
    (("somali",), "Asha/Casha/Aasha"),
    (("somali",), "Maryan/Maryam/Mariam"),
    (("somali",), "Hirsi/Hersi/Xirsi"),
    (("somali",), "Jama/Jaamac"),
    (("somali",), "Warsame/Warsama"),
    (("somali",), "Aden/Adan/Aadan"),
    (("somali",), "Ismail/Ismaaciil/Ismael"),
    (("somali",), "Said/Saeed/Siciid"),
    (("somali",), "Farah/Faarax"),
    (("somali",), "Ayan/Ayaan"),
    (("somali",), "Sahra/Sahro/Zahra"),
    (("somali",), "Khadra/Khadro"),
    (("somali",), "Nimco/Nimo"),
    (("somali",), "Ubah/Ubax"),
    (("polish",), "Aleksandra/Alexandra"),
    (("polish",), "Aleksander/Alexander"),
    (("polish",), "Oliwia/Olivia"),
    (("polish",), "Wiktoria/Victoria"),
    (("polish",), "Zofia/Sofia"),
    (("polish",), "Oliwer/Oliver"),
    (("polish",), "Dawid/David"),
    (("polish",), "Patryk/Patrick"),
    (("polish",), "Krzysztof/Krzystof/Christopher"),
    (("polish",), "Jakub/Jacob"),
    (("polish",), "Kowalczyk/Kowalczuk"),
    (("romanian",), "Alexandru/Alexander/Aleksandru"),
    (("romanian",), "Gheorghe/Gheorge/George"),
    (("romanian",), "Andreea/Andrea"),
    (("romanian",), "Mihai/Mihail"),
    (("romanian",), "Nicolae/Nicolai"),
    (("romanian",), "Ecaterina/Ecatarina/Katerina"),
    (("romanian",), "Lăcătuș/Lacatus/Lakatos"),
    (("romanian",), "Căldăraru/Caldarar"),
    (("romanian",), "Ciobanu/Cioban"),
    (_SLAVIC, "Oleksandr/Olexandr/Aleksandr/Alexander/Oleksander"),
    (_SLAVIC, "Aleksandar/Alexandar/Alexander"),
    (_SLAVIC, "Aleksandra/Alexandra"),
    (_SLAVIC, "Dmytro/Dmitro/Dmitriy/Dmitry"),
    (_SLAVIC, "Andriy/Andrii/Andrei/Andrey"),
    (_SLAVIC, "Maksym/Maksim/Maxim"),
    (_SLAVIC, "Serhiy/Serhii/Sergey/Sergei"),
    (_SLAVIC, "Mykola/Nikolai/Mikola"),
    (_SLAVIC, "Nikolay/Nikolai/Nicolai"),
    (_SLAVIC, "Yevhen/Yevgen/Evgeniy/Ievgen"),
    (_SLAVIC, "Vladyslav/Vladislav"),
    (_SLAVIC, "Yuriy/Yurii/Yuri/Iurii"),
    (_SLAVIC, "Oleh/Oleg"),
    (_SLAVIC, "Ihor/Igor"),
    (_SLAVIC, "Vitaliy/Vitalii/Vitaly"),
    (_SLAVIC, "Danylo/Danilo/Daniil"),
    (_SLAVIC, "Matviy/Matvii/Matvey"),
    (_SLAVIC, "Hristo/Christo/Khristo"),
    (_SLAVIC, "Dimitar/Dimitur/Dimitr"),
    (_SLAVIC, "Georgi/Georgy/George"),
    (_SLAVIC, "Yordan/Jordan/Iordan"),
    (_SLAVIC, "Petar/Peter/Petur"),
    (_SLAVIC, "Olena/Elena/Olyena"),
    (_SLAVIC, "Yulia/Yuliia/Iuliia/Julia"),
    (_SLAVIC, "Kateryna/Katerina/Ekaterina"),
    (_SLAVIC, "Natalia/Nataliia/Natalya"),
    (_SLAVIC, "Tetiana/Tetyana/Tatiana/Tatyana"),
    (_SLAVIC, "Iryna/Irina"),
    (_SLAVIC, "Viktoria/Viktoriia/Victoria"),
    (_SLAVIC, "Sofiia/Sofia/Sofiya"),
    (_SLAVIC, "Mariia/Maria/Mariya"),
    (_SLAVIC, "Daria/Dariia/Darya"),
    (_SLAVIC, "Olha/Olga"),
    (_SLAVIC, "Svitlana/Svetlana"),
    (_SLAVIC, "Khrystyna/Christina/Krystyna"),
    (_SLAVIC, "Liudmyla/Lyudmila/Ludmila"),
    (_SLAVIC, "Anastasia/Anastasiia/Anastasiya"),
    (_SLAVIC, "Yoana/Joana/Ioana"),
    (_SLAVIC, "Melnyk/Melnik/Melnick"),
    (_SLAVIC, "Oliinyk/Oleinik/Oliynyk"),
    (_SLAVIC, "Boyko/Boiko"),
    (_SLAVIC, "Kovalchuk/Kowalczuk"),
    (_SLAVIC, "Hristov/Christov/Khristov"),
    (_SLAVIC, "Kuznetsov/Kuznetzov"),
    (_SLAVIC, "Kovalskyi/Kovalskyy/Kovalsky"),
    (("ghanaian",), "Kwaku/Kweku"),
    (("ghanaian",), "Kwabena/Kobina/Kwabina"),
    (("ghanaian",), "Kwadwo/Kojo/Kodwo"),
    (("ghanaian",), "Kwasi/Kwesi/Kwasie"),
    (("ghanaian",), "Kwame/Kwamena"),
    (("ghanaian",), "Yaw/Yao"),
    (("ghanaian",), "Adwoa/Adjoa/Adwowa"),
    (("ghanaian",), "Akua/Ekua/Akuah"),
    (("ghanaian",), "Afua/Efua/Afia"),
    (("ghanaian",), "Ama/Amma"),
    (("ghanaian",), "Agyeman/Agyemang"),
    (("ghanaian",), "Adjei/Agyei"),
    (("ghanaian",), "Tetteh/Teteh"),
    (("nigerian",), "Ezeh/Eze"),
    (("nigerian",), "Oluwaseun/Oluseun"),
    (("nigerian",), "Olufunmilayo/Funmilayo"),
    (("sikh",), "Gurpreet/Gurpret"),
    (("sikh",), "Jaswinder/Jasvinder"),
    (("sikh",), "Kulwinder/Kulvinder"),
    (("sikh",), "Balwinder/Balvinder"),
    (("sikh",), "Harvinder/Harwinder"),
    (("sikh",), "Dhaliwal/Dhalliwal"),
    (("chinese",), "Li/Lee"),
    (("chinese",), "Zhou/Chow"),
    (("vietnamese",), "Nguyễn/Nguyen/Nguyên/Ngyuen"),
    (("vietnamese",), "Huỳnh/Huynh/Hoang"),
    (("vietnamese",), "Võ/Vo/Vu"),
)


def _variant_map() -> dict[str, dict[str, tuple[str, ...]]]:
    """background -> name -> other spellings of that name used by that background."""
    out: dict[str, dict[str, set[str]]] = {}
    for backgrounds, group in _VARIANT_GROUPS:
        names = [n.replace("_", " ") for n in group.split("/")]
        for background in backgrounds:
            table = out.setdefault(background, {})
            for name in names:
                table.setdefault(name, set()).update(n for n in names if n != name)
    return {bg: {n: tuple(sorted(v)) for n, v in t.items()} for bg, t in out.items()}


VARIANTS = _variant_map()


# Names in their own script, for the few records kept that way.
_SCRIPT_ARABIC = {
    "Muhammad": "محمد",
    "Mohammed": "محمد",
    "Mohamed": "محمد",
    "Mohammad": "محمد",
    "Ahmed": "أحمد",
    "Ahmad": "أحمد",
    "Ali": "علي",
    "Omar": "عمر",
    "Yousef": "يوسف",
    "Youssef": "يوسف",
    "Khaled": "خالد",
    "Khalid": "خالد",
    "Hassan": "حسن",
    "Hussein": "حسين",
    "Ibrahim": "إبراهيم",
    "Abdullah": "عبدالله",
    "Abdul Rahman": "عبد الرحمن",
    "Abdulrahman": "عبد الرحمن",
    "Mustafa": "مصطفى",
    "Mahmoud": "محمود",
    "Hamza": "حمزة",
    "Adam": "آدم",
    "Karim": "كريم",
    "Kareem": "كريم",
    "Tariq": "طارق",
    "Samir": "سمير",
    "Sami": "سامي",
    "Zaid": "زيد",
    "Amir": "أمير",
    "Yahya": "يحيى",
    "Anas": "أنس",
    "Bilal": "بلال",
    "Faisal": "فيصل",
    "Rami": "رامي",
    "Jamal": "جمال",
    "Saleh": "صالح",
    "Fatima": "فاطمة",
    "Mariam": "مريم",
    "Maryam": "مريم",
    "Aya": "آية",
    "Noor": "نور",
    "Nour": "نور",
    "Layla": "ليلى",
    "Leila": "ليلى",
    "Sara": "سارة",
    "Sarah": "سارة",
    "Hala": "هالة",
    "Rania": "رانيا",
    "Yasmin": "ياسمين",
    "Amira": "أميرة",
    "Huda": "هدى",
    "Zainab": "زينب",
    "Aisha": "عائشة",
    "Hiba": "هبة",
    "Lina": "لينا",
    "Reem": "ريم",
    "Salma": "سلمى",
    "Khadija": "خديجة",
    "Amal": "أمل",
    "Haddad": "حداد",
    "Khalil": "خليل",
    "Mansour": "منصور",
    "Nasser": "ناصر",
    "Othman": "عثمان",
    "Suleiman": "سليمان",
    "Abbas": "عباس",
    "Darwish": "درويش",
    "Al-Najjar": "النجار",
    "Al-Sayed": "السيد",
    "Al-Ali": "العلي",
    "Al-Hassan": "الحسن",
    "Jaber": "جابر",
    "Hamdan": "حمدان",
    "Salem": "سالم",
    "Aziz": "عزيز",
    "Qasim": "قاسم",
    "Hamid": "حامد",
    "Ahmadi": "احمدی",
    "Mohammadi": "محمدی",
    "Rahimi": "رحیمی",
    "Karimi": "کریمی",
    "Hakimi": "حکیمی",
    "Noori": "نوری",
    "Amiri": "امیری",
    "Haidari": "حیدری",
    "Zahra": "زهرا",
    "Farhad": "فرهاد",
    "Omid": "امید",
}
_SCRIPT_UKRAINIAN = {
    "Oleksandr": "Олександр",
    "Dmytro": "Дмитро",
    "Andriy": "Андрій",
    "Maksym": "Максим",
    "Serhiy": "Сергій",
    "Mykola": "Микола",
    "Ivan": "Іван",
    "Yevhen": "Євген",
    "Vladyslav": "Владислав",
    "Artem": "Артем",
    "Bohdan": "Богдан",
    "Denys": "Денис",
    "Yuriy": "Юрій",
    "Taras": "Тарас",
    "Volodymyr": "Володимир",
    "Oleh": "Олег",
    "Vitaliy": "Віталій",
    "Roman": "Роман",
    "Danylo": "Данило",
    "Ihor": "Ігор",
    "Olena": "Олена",
    "Anastasia": "Анастасія",
    "Yulia": "Юлія",
    "Kateryna": "Катерина",
    "Natalia": "Наталія",
    "Tetiana": "Тетяна",
    "Oksana": "Оксана",
    "Iryna": "Ірина",
    "Viktoria": "Вікторія",
    "Sofiia": "Софія",
    "Anna": "Анна",
    "Daria": "Дарія",
    "Mariia": "Марія",
    "Alina": "Аліна",
    "Svitlana": "Світлана",
    "Olha": "Ольга",
    "Polina": "Поліна",
    "Shevchenko": "Шевченко",
    "Kovalenko": "Коваленко",
    "Bondarenko": "Бондаренко",
    "Tkachenko": "Ткаченко",
    "Kravchenko": "Кравченко",
    "Melnyk": "Мельник",
    "Boyko": "Бойко",
    "Koval": "Коваль",
    "Oliinyk": "Олійник",
    "Shevchuk": "Шевчук",
    "Polishchuk": "Поліщук",
    "Lysenko": "Лисенко",
    "Marchenko": "Марченко",
    "Savchenko": "Савченко",
    "Rudenko": "Руденко",
    "Moroz": "Мороз",
    "Kovalchuk": "Ковальчук",
    "Petrenko": "Петренко",
    "Ivanov": "Іванов",
    "Popov": "Попов",
    "Kuznetsov": "Кузнецов",
}
_SCRIPT_BULGARIAN = {
    "Georgi": "Георги",
    "Ivan": "Иван",
    "Dimitar": "Димитър",
    "Nikolay": "Николай",
    "Aleksandar": "Александър",
    "Hristo": "Христо",
    "Stefan": "Стефан",
    "Petar": "Петър",
    "Maria": "Мария",
    "Ivana": "Ивана",
    "Elena": "Елена",
    "Desislava": "Десислава",
    "Gergana": "Гергана",
    "Teodora": "Теодора",
    "Ivanov": "Иванов",
    "Georgiev": "Георгиев",
    "Dimitrov": "Димитров",
    "Petrov": "Петров",
    "Nikolov": "Николов",
    "Hristov": "Христов",
    "Stoyanov": "Стоянов",
    "Todorov": "Тодоров",
}
_SCRIPT_CHINESE = {
    "Wang": "王",
    "Li": "李",
    "Zhang": "张",
    "Liu": "刘",
    "Chen": "陈",
    "Yang": "杨",
    "Huang": "黄",
    "Zhao": "赵",
    "Wu": "吴",
    "Zhou": "周",
    "Xu": "徐",
    "Sun": "孙",
    "Ma": "马",
    "Zhu": "朱",
    "Hu": "胡",
    "Guo": "郭",
    "Lin": "林",
    "He": "何",
    "Gao": "高",
    "Luo": "罗",
    "Chan": "陳",
    "Wong": "黃",
    "Lee": "李",
    "Cheung": "張",
    "Lau": "劉",
    "Leung": "梁",
    "Ng": "吳",
    "Lam": "林",
    "Ho": "何",
    "Yeung": "楊",
    "Tang": "鄧",
    "Chow": "周",
    "Tsang": "曾",
    "Chiu": "趙",
    "Kwok": "郭",
    "Yip": "葉",
    "Fung": "馮",
    "Mak": "麥",
    "Poon": "潘",
    "Hao": "浩",
    "Haoran": "浩然",
    "Yuxuan": "宇轩",
    "Zihan": "子涵",
    "Junjie": "俊杰",
    "Wei": "伟",
    "Jian": "建",
    "Ming": "明",
    "Jun": "军",
    "Yichen": "奕辰",
    "Zhiwei": "志伟",
    "Tianyi": "天翼",
    "Jiahao": "家豪",
    "Xinyi": "欣怡",
    "Yuting": "雨婷",
    "Jiahui": "佳慧",
    "Siyu": "思雨",
    "Yiting": "怡婷",
    "Xiaoyu": "晓雨",
    "Mei": "美",
    "Ling": "玲",
    "Jing": "静",
    "Hui": "慧",
    "Yan": "燕",
    "Wing Yan": "詠欣",
    "Hoi Yan": "凱欣",
    "Ka Man": "嘉敏",
    "Ka Ho": "家豪",
    "Chi Wing": "志榮",
}
SCRIPTS = {
    "arabic": _SCRIPT_ARABIC,
    "ukrainian": _SCRIPT_UKRAINIAN,
    "bulgarian": _SCRIPT_BULGARIAN,
    "chinese": _SCRIPT_CHINESE,
}


# English spellings of the same given name or surname.
_SPELLING_GROUPS = """
Catherine/Katherine/Kathryn/Catharine Stephen/Steven Philip/Phillip Sean/Shaun/Shawn Leigh/Lee
Zoe/Zoë Chloe/Chloë Isabel/Isobel/Isabelle Rebecca/Rebekah Hayley/Haley/Hailey
Kayleigh/Kayley/Kaylee Jayden/Jaden/Jaiden Aiden/Aidan/Ayden Lyndsey/Lindsay/Lindsey
Ashleigh/Ashley Leah/Lea Jaxon/Jackson Lacey/Lacie Darcie/Darcy/Darcey Esme/Esmé
Connor/Conor Niamh/Neve Ciara/Kiera/Keira Rhys/Reece/Reese Callum/Calum Tegan/Teagan
Mollie/Molly Louie/Louis Alistair/Alastair Nicola/Nichola Jodie/Jodi Carly/Carley
Gemma/Jemma Jade/Jayde Ellie/Elly Sophia/Sofia Amelie/Amélie Matthew/Mathew Jon/Jonn
McDonald/MacDonald/Macdonald Thompson/Thomson Clarke/Clark Davies/Davis Phillips/Philips
Matthews/Mathews Reid/Reed/Read Gray/Grey Stewart/Stuart McKenzie/MacKenzie O'Neill/O'Neil
Griffiths/Griffith Harris/Harriss Pearce/Pearse/Pierce Hughes/Hewes Lloyd/Loyd
"""


def _spelling_map(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for group in table.split():
        names = group.split("/")
        for name in names:
            out[name] = tuple(n for n in names if n != name)
    return out


SPELLINGS = _spelling_map(_SPELLING_GROUPS)
# Every name with another spelling; other names in plain ASCII are always recorded as they are.
RESPELLABLE = frozenset(
    itertools.chain(SPELLINGS, CHINESE_SYLLABLES, *(table for table in VARIANTS.values()))
)
# Short forms that are often the registered name, which an agency may "correct" to the long form.
_REGISTERED_SHORT_NAMES = """
Alfie Ellie Millie Archie Freddie Theo Evie Tilly Ollie Jake Reggie Albie Lexi Bella Libby Josie
Maddie Tommy Ronnie Frankie Bobby
"""
_REGISTERED_SHORT = frozenset(_REGISTERED_SHORT_NAMES.split())
FORMAL_OF = {
    short: formal
    for formal, shorts in NICKNAMES.items()
    for short in shorts
    if short in _REGISTERED_SHORT and sum(short in s for s in NICKNAMES.values()) == 1
}
