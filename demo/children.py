"""The demo's 30 children: who they are, their school and year, their family and the
professionals named on their record, and the stage their review has reached, which
demo/reviews.py moves it to through the portal's own actions."""

from __future__ import annotations

from dataclasses import dataclass

from demo.people import DOMAIN

# The stages, in the order a review passes through them.
DUE, SCHEDULED, INVITED, ADVICE_LATE, CIRCULATED, TODAY, HELD, REPORTED, DECIDED = (
    "due", "scheduled", "invited", "advice_late", "circulated", "today", "held", "reported",
    "decided")
STAGES = [DUE, SCHEDULED, INVITED, ADVICE_LATE, CIRCULATED, TODAY, HELD, REPORTED, DECIDED]

PRIMARY, SECONDARY, SPECIAL, COLLEGE = (
    "Riverside Primary School", "Northbridge Academy", "Oakfield Special School",
    "Northbridge College")
SETTING_TYPES = {PRIMARY: "primary", SECONDARY: "secondary", SPECIAL: "", COLLEGE: "post_16"}

PRIYA, TOM = f"priya.shah@{DOMAIN}", f"tom.hughes@{DOMAIN}"
SARAH, JOANNE, JORDAN = (f"sarah.ahmed@{DOMAIN}", f"joanne.taylor@{DOMAIN}",
                         f"jordan.clarke@{DOMAIN}")
MARCUS = f"marcus.bell@{DOMAIN}"
SENCOS = {PRIMARY: f"helen.price@{DOMAIN}", SECONDARY: f"sam.patel@{DOMAIN}",
          SPECIAL: f"ruth.evans@{DOMAIN}"}
ZOE, HARRIET = f"zoe.turner@{DOMAIN}", f"harriet.cole@{DOMAIN}"  # an advocate, her lead
PROFESSIONALS = {
    "salt": f"nadia.khan@{DOMAIN}", "ot": f"owen.jones@{DOMAIN}",
    "physio": f"lucy.ward@{DOMAIN}", "paed": f"james.morgan@{DOMAIN}",
    "camhs": f"ella.fraser@{DOMAIN}", "sw": f"ben.carter@{DOMAIN}",
    "ep": f"grace.okafor@{DOMAIN}",
}


@dataclass(frozen=True)
class DemoChild:
    ref: str
    first: str
    last: str
    school: str
    year: int  # national curriculum year this school year
    stage: str
    days: int  # before a meeting: the review's due date from today; after: the meeting's
    coordinator: str
    professionals: tuple[str, ...]
    parent: str = ""  # a parent's first name, or a demo persona's email
    record_of_support: bool = False
    reviewed_before: bool = False
    advocacy: str = ""  # the family's answer to the offer, if given
    advocate: str = ""  # after a yes, the advocate the provider's lead chose, if yet
    views: bool = False  # the family has sent their views
    birthday: int | None = None  # days into the school year; spread by reference if None
    transferred_from: str = ""  # the DfE number of the authority the plan came from


C = DemoChild
CHILDREN = [
    C("NB-1001", "Yusuf", "Ahmed", PRIMARY, 6, INVITED, 20, PRIYA, ("salt", "ep"), SARAH,
      reviewed_before=True, advocacy="yes"),  # waiting for the provider to choose
    C("NB-1002", "Ruby", "Walker", PRIMARY, 4, DUE, 18, TOM, ("ot",), "Kerry",
      reviewed_before=True),
    C("NB-1003", "Kofi", "Mensah", PRIMARY, 2, SCHEDULED, 30, PRIYA, ("salt", "paed"), "Ama"),
    C("NB-1004", "Lily", "Chen", PRIMARY, 5, CIRCULATED, 3, TOM, ("ot", "ep"), "Wei",
      reviewed_before=True),
    C("NB-1005", "Harry", "Brooks", PRIMARY, 1, DUE, -12, PRIYA, ("salt",), "Gemma",
      record_of_support=True),
    C("NB-1006", "Ava", "Robinson", PRIMARY, 6, HELD, -3, TOM, ("camhs", "sw"), "Lisa",
      reviewed_before=True),
    C("NB-1007", "Oscar", "Nowak", PRIMARY, 3, ADVICE_LATE, 8, PRIYA, ("salt", "ot", "sw"),
      "Marta"),
    C("NB-1008", "Isla", "Murphy", PRIMARY, 0, DUE, 74, TOM, ("physio", "paed"), "Siobhan"),
    C("NB-1009", "Layla", "Ahmed", SECONDARY, 8, TODAY, 0, PRIYA, ("camhs", "ep"), SARAH,
      reviewed_before=True),
    C("NB-1010", "Ethan", "Doyle", SECONDARY, 10, INVITED, 24, TOM, ("ot",), "Claire",
      reviewed_before=True, transferred_from="888"),
    C("NB-1011", "Amelia", "Hussain", SECONDARY, 11, REPORTED, -15, PRIYA, ("salt", "sw"),
      "Farah", reviewed_before=True),
    C("NB-1012", "Noah", "Williams", SECONDARY, 7, DUE, 33, TOM, ("camhs",), "Dan"),
    C("NB-1013", "Sofia", "Rossi", SECONDARY, 9, ADVICE_LATE, 10, PRIYA,
      ("ot", "camhs", "sw"), "Giulia", reviewed_before=True),
    C("NB-1014", "Leo", "Campbell", SECONDARY, 8, SCHEDULED, 37, TOM, ("ep",), "Fiona"),
    C("NB-1015", "Maya", "Okoro", SECONDARY, 10, HELD, -6, PRIYA, ("physio", "paed"), "Ngozi",
      reviewed_before=True),
    C("NB-1016", "Jacob", "Reid", SECONDARY, 7, DUE, -4, TOM, ("salt",), "Stuart"),
    C("NB-1017", "Mia", "Taylor", SPECIAL, 10, CIRCULATED, 5, TOM,
      ("physio", "ot", "paed", "sw"), JOANNE, reviewed_before=True, advocacy="yes",
      advocate=ZOE, views=True),
    C("NB-1018", "Daniel", "Kowalski", SPECIAL, 4, INVITED, 27, PRIYA,
      ("salt", "physio", "paed"), "Anna"),
    C("NB-1019", "Grace", "Adeyemi", SPECIAL, 12, TODAY, 0, TOM, ("ot", "sw"), "Bisi",
      reviewed_before=True),
    C("NB-1020", "Tyler", "Green", SPECIAL, 7, DECIDED, -19, PRIYA, ("camhs", "paed", "sw"),
      "Jade", reviewed_before=True),
    C("NB-1021", "Hannah", "Lewis", SPECIAL, 2, DUE, 47, TOM, ("physio", "salt"), "Rhian"),
    C("NB-1022", "Zain", "Ali", SPECIAL, 13, SCHEDULED, 44, PRIYA, ("ot", "sw"), "Imran",
      reviewed_before=True),
    C("NB-1023", "Poppy", "Harris", SPECIAL, 5, ADVICE_LATE, 11, TOM, ("salt", "paed"), "Kate"),
    C("NB-1024", "Freddie", "Shaw", SPECIAL, 9, DUE, 79, PRIYA, ("ot",), "Paula",
      reviewed_before=True),
    C("NB-1025", "Jordan", "Clarke", COLLEGE, 12, INVITED, 31, TOM, ("camhs", "sw"), JORDAN,
      reviewed_before=True, advocacy="no", birthday=0),  # 17 from the first day of term
    C("NB-1026", "Chloe", "Martin", COLLEGE, 13, HELD, -9, PRIYA, ("ot",), "Sandra",
      reviewed_before=True),
    C("NB-1027", "Aaron", "Bailey", COLLEGE, 14, DUE, 62, TOM, ("sw",), "Michelle",
      reviewed_before=True),
    C("NB-1028", "Niamh", "O'Connor", COLLEGE, 12, CIRCULATED, 7, PRIYA, ("salt", "ot"),
      "Aoife", reviewed_before=True),
    C("NB-1029", "Samir", "Haddad", COLLEGE, 13, REPORTED, -23, TOM, ("camhs",), "Rania",
      reviewed_before=True),
    C("NB-1030", "Olivia", "Scott", COLLEGE, 12, DUE, 83, PRIYA, ("ep",), "Joanne",
      record_of_support=True),
]

# Reviews the council has asked the school to arrange (SEND Regs 2014 reg 20(1)): its SENCO
# coordinates them, and the child's case officer is the council's SEN officer invited.
CONVENED_BY_SCHOOL = {"NB-1002", "NB-1006", "NB-1008"}
