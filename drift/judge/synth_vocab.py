"""Word lists for ``drift.judge.synth``: invented people, places, organisations and products.

Everything here is invented or generic; towns are built from syllables in the style of a country.
"""

from __future__ import annotations

# Given names (male, female) and family names by naming style. ``east`` styles put the family
# name first ("Chen Mei").
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("James", "Daniel", "Thomas", "Oliver", "Michael", "Richard", "Simon", "Peter", "Graham",
         "Andrew", "Neil", "Stuart", "Robert", "Hugh", "Colin", "Patrick"),
        ("Sarah", "Emma", "Claire", "Laura", "Helen", "Rachel", "Fiona", "Karen", "Joanna",
         "Megan", "Alison", "Harriet", "Louise", "Naomi", "Gemma", "Tessa"),
        ("Whitfield", "Harrow", "Pembroke", "Ashworth", "Caldwell", "Fenwick", "Gilmore",
         "Hartley", "Kendrick", "Lowther", "Marsden", "Prentice", "Radcliffe", "Stanhope",
         "Thornbury", "Wakeley", "Ellery", "Brockway", "Dunmore", "Holloway", "Spurling"),
    ),
    "es": (
        ("Javier", "Álvaro", "Sergio", "Raúl", "Ignacio", "Diego", "Rubén", "Andrés", "Gonzalo",
         "Emilio", "Hernán", "Tomás"),
        ("Lucía", "Marta", "Inés", "Carmen", "Beatriz", "Elena", "Nuria", "Rocío", "Pilar",
         "Ximena", "Lorena", "Paloma"),
        ("Herrera", "Castillo", "Navarro", "Ibáñez", "Morales", "Vidal", "Cabrera", "Soler",
         "Aranda", "Quintero", "Salcedo", "Montoya", "Arriaga", "Belmonte", "Cifuentes",
         "Echeverría", "Larrañaga", "Villalba"),
    ),
    "fr": (
        ("Julien", "Mathieu", "Laurent", "Olivier", "Nicolas", "Étienne", "Rémi", "Benoît",
         "Thibault", "Grégoire"),
        ("Camille", "Élodie", "Sandrine", "Margaux", "Nathalie", "Aurélie", "Céline", "Mathilde",
         "Solène", "Agnès"),
        ("Lefèvre", "Moreau", "Rousseau", "Girard", "Fontaine", "Chevalier", "Marchand",
         "Delorme", "Bertrand", "Lacroix", "Perrin", "Vasseur", "Guillot", "Rambert"),
    ),
    "de": (
        ("Jonas", "Stefan", "Matthias", "Tobias", "Lukas", "Florian", "Jörg", "Henrik", "Ulrich"),
        ("Katrin", "Anja", "Birgit", "Sabine", "Leonie", "Friederike", "Ute", "Jana", "Marlene"),
        ("Brandt", "Kessler", "Hoffmann", "Vogel", "Lindner", "Baumann", "Schreiber", "Winkler",
         "Albrecht", "Ostermann", "Kramer", "Reuter", "Seidel", "Hagemann"),
    ),
    "it": (
        ("Marco", "Luca", "Giorgio", "Matteo", "Stefano", "Davide", "Alessandro", "Paolo"),
        ("Giulia", "Chiara", "Francesca", "Valentina", "Silvia", "Elisa", "Federica", "Marta"),
        ("Ferraro", "Bianchi", "Esposito", "Galli", "Conti", "Mancini", "Rinaldi", "Lombardi",
         "Barone", "Pellegrini", "Ventura", "Caruso", "Fabbri"),
    ),
    "pt": (
        ("João", "Rafael", "Thiago", "Rodrigo", "Gustavo", "Paulo", "Vinícius", "Henrique"),
        ("Ana", "Beatriz", "Camila", "Fernanda", "Larissa", "Juliana", "Patrícia", "Renata"),
        ("Carvalho", "Oliveira", "Ribeiro", "Almeida", "Barbosa", "Teixeira", "Moura",
         "Cardoso", "Siqueira", "Azevedo", "Fontes", "Prado"),
    ),
    "ng": (
        ("Chinedu", "Emeka", "Kwame", "Kofi", "Tunde", "Yaw", "Segun", "Ikenna", "Kwesi"),
        ("Ngozi", "Adaeze", "Ama", "Efua", "Folake", "Chiamaka", "Abena", "Yetunde"),
        ("Okafor", "Adeyemi", "Mensah", "Boateng", "Eze", "Nwosu", "Owusu", "Balogun", "Asante",
         "Okonkwo", "Danso", "Adebayo"),
    ),
    "in": (
        ("Arjun", "Rohan", "Vikram", "Sanjay", "Karthik", "Rahul", "Aditya", "Nikhil"),
        ("Priya", "Ananya", "Kavita", "Meera", "Divya", "Sunita", "Lakshmi", "Pooja"),
        ("Sharma", "Iyer", "Reddy", "Menon", "Kapoor", "Nair", "Bhatt", "Chatterjee", "Joshi",
         "Pillai", "Desai", "Malhotra"),
    ),
    "zh": (
        ("Wei", "Jun", "Hao", "Ming", "Tao", "Lei"),
        ("Mei", "Xiu", "Yan", "Lina", "Ting", "Hui"),
        ("Zhang", "Chen", "Liu", "Huang", "Zhou", "Lin", "Gao", "Xu"),
    ),
    "ja": (
        ("Kenji", "Takeshi", "Hiroshi", "Daisuke", "Shota", "Ryo"),
        ("Yuki", "Haruka", "Aiko", "Naomi", "Emi", "Sayaka"),
        ("Tanaka", "Sato", "Kobayashi", "Watanabe", "Nakamura", "Fujita", "Ishikawa", "Mori"),
    ),
    "pl": (
        ("Piotr", "Tomasz", "Marek", "Krzysztof", "Paweł", "Jakub"),
        ("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Ewa", "Zofia"),
        ("Nowak", "Wróbel", "Mazur", "Krawczyk", "Dudek", "Pawlak", "Sikora", "Walczak"),
    ),
    "tr": (
        ("Emre", "Murat", "Burak", "Kerem", "Serkan", "Oğuz"),
        ("Elif", "Zeynep", "Selin", "Ayşe", "Derya", "Nazlı"),
        ("Yılmaz", "Demir", "Kaya", "Aydın", "Öztürk", "Çelik", "Arslan", "Koç"),
    ),
    "nordic": (
        ("Erik", "Anders", "Lars", "Magnus", "Henrik", "Olof", "Bjørn"),
        ("Ingrid", "Astrid", "Sofia", "Karin", "Sigrid", "Maja", "Liv"),
        ("Lindqvist", "Bergström", "Halvorsen", "Nyberg", "Eklund", "Sandberg", "Holmgren",
         "Dahl", "Strand"),
    ),
    "ar": (
        ("Omar", "Karim", "Youssef", "Tarek", "Hassan", "Nabil", "Samir"),
        ("Leila", "Nadia", "Samira", "Rania", "Yasmin", "Hoda", "Salma"),
        ("Haddad", "Mansour", "Khalil", "Saleh", "Nasser", "Farouk", "Bennani", "Tazi",
         "Hamdan"),
    ),
    "nl": (
        ("Joost", "Pieter", "Bram", "Maarten", "Sven"),
        ("Sanne", "Lotte", "Femke", "Anouk", "Ilse"),
        ("Bakker", "Visser", "Jansen", "Smit", "Mulder", "Dekker", "Brouwer"),
    ),
    "id": (
        ("Budi", "Agus", "Rizal", "Dimas", "Hendra"),
        ("Sari", "Dewi", "Putri", "Ratna", "Wulan"),
        ("Santoso", "Wijaya", "Hidayat", "Kusuma", "Pratama", "Nugroho"),
    ),
}
EAST_ORDER = frozenset({"zh"})

# Town syllables by style (first part, second part).
TOWN_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("Brack", "Ell", "Hol", "Mar", "Thorn", "Wex", "Cal", "Dun", "Fen", "Gar", "Kel",
            "Lin", "Mor", "Pen", "Rad", "Sel", "Tam", "Wil", "Ash", "Brom", "Cray", "Hadden"),
           ("ford", "ham", "ton", "bury", "wick", "mere", "field", "stead", "worth", "bridge",
            "port", "dale", "by", "holm", "combe", "ley")),
    "es": (("Alda", "Bene", "Carra", "Esco", "Fuen", "Lora", "Mira", "Olme", "Torre", "Valde",
            "Zarza", "Peña", "Casa", "Hontana", "Robla"),
           ("lejo", "villa", "nares", "dilla", "rosa", "mar", "cedo", "llano", "fría", "seca",
            "blanca", "lares")),
    "fr": (("Belle", "Mont", "Vire", "Cham", "Ros", "Beau", "Lan", "Sauve", "Ver", "Fleur",
            "Haute", "Ruis"),
           ("court", "mont", "ville", "lac", "bourg", "val", "ieux", "brune", "ac", "roche",
            "terre")),
    "de": (("Alt", "Bern", "Eich", "Falken", "Hohen", "Linden", "Mühl", "Rosen", "Stein",
            "Wolf", "Birken", "Erlen", "Hasel"),
           ("bach", "burg", "dorf", "feld", "hausen", "heim", "stadt", "tal", "au", "brück")),
    "it": (("Alba", "Castel", "Fonte", "Monte", "Pieve", "Rocca", "Serra", "Torre", "Valle",
            "Borgo", "Colle"),
           ("nuovo", "vecchio", "rosa", "luce", "franco", "lungo", "santo", "verde", "fiore",
            "chiaro")),
    "pt": (("Alto", "Campo", "Ribeira", "Serra", "Vila", "Porto", "Santa Rita", "Boa", "Lagoa",
            "Pedra"),
           (" Verde", " Nova", " Alegre", " do Sul", " da Mata", " Bonita", " Funda",
            " Clara", " do Norte")),
    "ng": (("Aba", "Ilo", "Oke", "Asa", "Kwa", "Nya", "Mbo", "Ota", "Ado", "Iwo", "Tema"),
           ("ru", "dan", "kofi", "mesi", "nde", "wura", "bi", "la", "kuta", "nso")),
    "in": (("Ram", "Shiv", "Chand", "Anand", "Bhim", "Gopal", "Har", "Sultan", "Madhav", "Devi"),
           ("pur", "nagar", "garh", "abad", "ganj", "kot", "pura", "wadi")),
    "ja": (("Kita", "Minami", "Higashi", "Naka", "Shimo", "Kami", "Taka", "Oka", "Nishi"),
           ("yama", "kawa", "hara", "mura", "saki", "hama", "zawa", "shima")),
    "tr": (("Kara", "Ak", "Yeni", "Kızıl", "Çam", "Gök", "Demir", "Bala", "Sarı"),
           ("köy", "dere", "tepe", "pınar", "ova", "kent", "yurt", "kaya")),
    "pl": (("Biel", "Gór", "Lip", "Dąb", "Kam", "Rad", "Wol", "Brzez", "Sos"),
           ("owo", "ice", "ino", "sko", "ów", "ewo", "any")),
    "nordic": (("Ny", "Lund", "Berg", "Sand", "Ek", "Vik", "Holm", "Stor", "Lil", "Fjell"),
               ("vik", "by", "heim", "ström", "sund", "dal", "ås", "nes", "fors")),
    "ar": (("Ain", "Bir", "Dar", "Kafr", "Sidi", "Tel", "Wadi"),
           (" el-Hamra", " Mansour", " Zahra", " el-Nour", " Salem", " Khalil", " el-Bahr")),
    "nl": (("Zuider", "Oost", "Wester", "Hooge", "Nieuw", "Groot", "Klein"),
           ("veen", "dam", "wijk", "hoven", "broek", "zand", "dijk")),
    "id": (("Sungai", "Tanjung", "Bukit", "Kota", "Pulau", "Batu"),
           (" Raya", " Jaya", " Baru", " Indah", " Mas", " Tengah")),
}

# Country: (name, adjective, naming style, town style, currency, regions)
COUNTRIES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("Spain", "Spanish", "es", "es", "EUR", ("Andalusia", "Aragon", "Galicia", "Murcia")),
    ("Mexico", "Mexican", "es", "es", "USD", ("Sonora", "Jalisco", "Oaxaca", "Veracruz")),
    ("Argentina", "Argentine", "es", "es", "USD", ("Mendoza", "Salta", "Córdoba", "Chubut")),
    ("Chile", "Chilean", "es", "es", "USD", ("Atacama", "Maule", "Biobío", "Los Lagos")),
    ("Colombia", "Colombian", "es", "es", "USD", ("Antioquia", "Santander", "Huila", "Nariño")),
    ("France", "French", "fr", "fr", "EUR", ("Normandy", "Brittany", "Occitanie", "Alsace")),
    ("Belgium", "Belgian", "fr", "fr", "EUR", ("Wallonia", "Flanders", "Hainaut", "Liège")),
    ("Germany", "German", "de", "de", "EUR", ("Bavaria", "Saxony", "Hesse", "Thuringia")),
    ("Austria", "Austrian", "de", "de", "EUR", ("Tyrol", "Styria", "Carinthia", "Salzburg")),
    ("Italy", "Italian", "it", "it", "EUR", ("Lombardy", "Tuscany", "Calabria", "Piedmont")),
    ("Portugal", "Portuguese", "pt", "pt", "EUR", ("the Algarve", "Alentejo", "Minho", "Beira")),
    ("Brazil", "Brazilian", "pt", "pt", "USD", ("Minas Gerais", "Bahia", "Paraná", "Goiás")),
    ("Nigeria", "Nigerian", "ng", "ng", "USD", ("Lagos State", "Kano State", "Enugu State",
                                                  "Oyo State")),
    ("Ghana", "Ghanaian", "ng", "ng", "USD", ("the Ashanti region", "the Volta region",
                                                "the Central region", "the Northern region")),
    ("Kenya", "Kenyan", "ng", "ng", "USD", ("the Rift Valley", "Nakuru County", "Kisumu County",
                                              "Kilifi County")),
    ("India", "Indian", "in", "in", "USD", ("Punjab", "Kerala", "Gujarat", "Odisha")),
    ("Japan", "Japanese", "ja", "ja", "USD", ("Hokkaido", "Kyushu", "Tohoku", "Shikoku")),
    ("Poland", "Polish", "pl", "pl", "EUR", ("Silesia", "Pomerania", "Masovia", "Podlasie")),
    ("Turkey", "Turkish", "tr", "tr", "USD", ("Anatolia", "Thrace", "the Black Sea region",
                                                "Cappadocia")),
    ("Sweden", "Swedish", "nordic", "nordic", "EUR", ("Norrland", "Skåne", "Dalarna", "Värmland")),
    ("Norway", "Norwegian", "nordic", "nordic", "EUR", ("Finnmark", "Trøndelag", "Vestland",
                                                        "Nordland")),
    ("Britain", "British", "en", "en", "GBP", ("Yorkshire", "Cornwall", "Kent", "Cumbria")),
    ("Ireland", "Irish", "en", "en", "EUR", ("Munster", "Connacht", "Leinster", "Donegal")),
    ("Canada", "Canadian", "en", "en", "USD", ("Ontario", "Manitoba", "Alberta",
                                                 "Nova Scotia")),
    ("Australia", "Australian", "en", "en", "USD", ("Queensland", "Victoria", "Tasmania",
                                                      "New South Wales")),
    ("the United States", "US", "en", "en", "USD", ("Ohio", "Oregon", "Georgia", "Nevada")),
    ("Egypt", "Egyptian", "ar", "ar", "USD", ("the Nile Delta", "Upper Egypt", "Sinai",
                                                "Giza")),
    ("Morocco", "Moroccan", "ar", "ar", "EUR", ("the Rif", "Souss", "the Atlas region",
                                                  "Oriental")),
    ("the Netherlands", "Dutch", "nl", "nl", "EUR", ("Friesland", "Zeeland", "Limburg",
                                                       "Drenthe")),
    ("Indonesia", "Indonesian", "id", "id", "USD", ("Java", "Sumatra", "Sulawesi", "Borneo")),
)

BRAND_A = ("Nor", "Vel", "Tari", "Kest", "Oran", "Bel", "Cor", "Dav", "Elm", "Fal", "Gren",
           "Hal", "Ister", "Jor", "Lum", "Mar", "Nex", "Ober", "Pel", "Quin", "Ros", "Sol", "Tev",
           "Ulm", "Var", "Wen", "Zel", "Aster", "Brav", "Cirr", "Dor", "Ev", "Kal", "Lor", "Mer",
           "Ostr", "Pra", "Ravel", "Sten", "Trav", "Vant", "Xer")
BRAND_B = ("ex", "ion", "ara", "is", "ova", "ant", "ora", "ium", "ica", "en", "ell", "ax", "ix",
           "o", "ea", "una", "on", "ia", "ent", "yn")

# Sector: (company name suffixes, what the company is called, product nouns)
SECTORS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "airline": (("Air", "Airways", "Airlines"), "airline", ("flights", "tickets")),
    "bank": (("Bank", "Banca", "Financial"), "bank", ("loans", "accounts")),
    "telecom": (("Telecom", "Mobile", "Networks"), "operator", ("contracts", "plans")),
    "energy": (("Energy", "Power", "Utilities"), "utility", ("tariffs", "contracts")),
    "food": (("Foods", "Dairy", "Farms"), "food group",
             ("yoghurts", "cereal bars", "tins of infant formula", "frozen meals")),
    "pharma": (("Pharma", "Therapeutics", "Labs"), "drugmaker", ("tablets", "syringes",
                                                                 "inhalers")),
    "auto": (("Motors", "Automotive", "Cars"), "carmaker", ("SUVs", "electric vans",
                                                          "hybrid saloons")),
    "retail": (("Stores", "Retail", "Markets"), "retailer", ("stores",)),
    "steel": (("Steel", "Metals", "Alloys"), "steelmaker", ("plates",)),
    "logistics": (("Logistics", "Freight", "Shipping"), "logistics group", ("parcels",)),
    "tech": (("Systems", "Digital", "Technologies"), "tech company", ("laptops", "routers",
                                                                     "smart speakers")),
    "chem": (("Chemicals", "Materials", "Polymers"), "chemicals group", ("solvents",)),
    "toys": (("Toys", "Play"), "toymaker", ("building sets", "dolls")),
    "appliance": (("Appliances", "Home"), "appliance maker", ("dishwashers", "space heaters",
                                                              "pressure cookers")),
}

REGULATORS = (
    ("Competition Authority", "competition watchdog"),
    ("Consumer Protection Agency", "consumer watchdog"),
    ("Financial Supervisory Authority", "financial regulator"),
    ("Data Protection Commission", "data protection regulator"),
    ("Energy Regulatory Office", "energy regulator"),
    ("Communications Commission", "telecoms regulator"),
    ("Civil Aviation Authority", "aviation regulator"),
    ("Markets Authority", "markets regulator"),
)

OFFENCES = (
    ("misleading customers about {product} prices", "misled customers about {product} prices"),
    ("failing to protect customer data", "failed to protect customer data"),
    ("overcharging customers for {product}", "overcharged customers for {product}"),
    ("breaching competition rules", "breached competition rules"),
    ("delaying refunds to customers", "delayed refunds to customers"),
    ("failing to report a data breach", "failed to report a data breach"),
    ("fixing prices with rivals", "fixed prices with rivals"),
)

# (workers, union name part, employer name suffixes, what the employer is called)
UNION_SECTORS = (
    ("dock workers", "Dockers", ("Terminals", "Port Services"), "port operator"),
    ("rail workers", "Rail Workers", ("Rail", "Railways"), "rail operator"),
    ("train drivers", "Train Drivers", ("Rail", "Railways"), "rail operator"),
    ("bus drivers", "Bus Drivers", ("Buses", "Transit"), "bus operator"),
    ("airport staff", "Ground Staff", ("Airports", "Aviation Services"), "airport operator"),
    ("cabin crew", "Cabin Crew", ("Air", "Airways"), "airline"),
    ("postal workers", "Postal Workers", ("Post", "Parcel Services"), "postal operator"),
    ("refinery workers", "Refinery Workers", ("Energy", "Petroleum"), "energy group"),
    ("miners", "Mineworkers", ("Mining", "Minerals"), "mining company"),
    ("warehouse workers", "Warehouse Workers", ("Logistics", "Fulfilment"), "logistics group"),
    ("steelworkers", "Steelworkers", ("Steel",), "steelmaker"),
    ("call-centre staff", "Call Centre Workers", ("Telecom", "Mobile"), "telecoms operator"),
)

PARTIES = ("Progressive Alliance", "Liberal Union", "National Renewal", "Green Left",
           "Social Democrats", "People's Party", "Reform Movement", "Civic Platform",
           "Labour Front", "Centre Coalition", "Workers' Party", "Democratic Forum")

PORTFOLIOS = ("health", "finance", "interior", "transport", "environment", "education",
              "defence", "foreign", "labour", "justice", "energy", "agriculture", "economy")

CORP_ROLES = ("chief executive", "chief financial officer", "chair", "chief operating officer",
              "head of operations", "general counsel")

OUTLETS = ("the {t} Gazette", "the {t} Herald", "Radio {b}", "the daily {b}",
           "broadcaster {b} TV", "the {t} Courier", "the news site {b}24")

DISEASES = (("measles", "cases"), ("cholera", "cases"), ("dengue fever", "cases"),
            ("hepatitis A", "cases"), ("legionnaires' disease", "cases"),
            ("norovirus", "infections"), ("salmonella", "infections"),
            ("a respiratory virus", "infections"))

# Recall faults by sector: (noun phrase, verb phrase)
RECALL_FAULTS: dict[str, tuple[tuple[str, str], ...]] = {
    "food": (("possible contamination with listeria", "may be contaminated with listeria"),
             ("undeclared peanuts", "may contain undeclared peanuts"),
             ("glass fragments", "may contain fragments of glass")),
    "toys": (("small parts that could be swallowed", "contain small parts that could be "
                                                      "swallowed"),
             ("high levels of lead in the paint", "may contain high levels of lead")),
    "appliance": (("a risk of fire", "could overheat and catch fire"),
                  ("a faulty door lock", "may have a faulty door lock")),
    "auto": (("a faulty braking sensor", "may have a faulty braking sensor"),
             ("a risk of fire", "could catch fire while parked")),
    "tech": (("a defective battery", "may have a defective battery"),
             ("a risk of fire", "could overheat and catch fire")),
    "pharma": (("a labelling error", "may carry the wrong dosage on the label"),
               ("possible contamination", "may be contaminated")),
}

SCIENCE = (
    ("a new species of frog", "frog", "discovered"),
    ("a gene linked to early hearing loss", "gene", "identified"),
    ("a bacterium that breaks down plastic", "bacterium", "identified"),
    ("a compound that slows tumour growth in mice", "compound", "tested"),
    ("a method to store solar energy as heat", "method", "developed"),
    ("a blood test for early liver disease", "test", "developed"),
    ("a sensor that detects crop disease", "sensor", "developed"),
)
