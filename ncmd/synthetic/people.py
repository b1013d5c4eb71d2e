"""Made-up names, addresses and NHS numbers for synthetic children.

NHS numbers start 999, the range the NHS keeps for testing, so no synthetic child can carry a real
person's number; postcodes use areas no real postcode has (see postcodes.py)."""

from ncmd.dictionary.identifiers import with_check_digit

GIVEN_NAMES = {
    "male": ["Oliver", "Noah", "Muhammad", "George", "Leo", "Arthur", "Harry", "Oscar", "Jack",
             "Theo", "Ibrahim", "Kwame", "Arjun", "Finley", "Reuben", "Tomasz", "Yusuf", "Ethan"],
    "female": ["Olivia", "Amelia", "Isla", "Lily", "Ava", "Freya", "Maryam", "Ivy", "Grace",
               "Sophia", "Aisha", "Zara", "Priya", "Chloe", "Amara", "Nadia", "Ella", "Ruby"],
}  # fmt: skip
FAMILY_NAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
                "Patel", "Khan", "Ahmed", "Evans", "Thomas", "Roberts", "Okafor", "Mensah",
                "Kowalski", "Begum", "Hussain", "Walker", "Wright", "Green", "Hall"]  # fmt: skip
STREETS = ["Church", "Station", "Victoria", "Mill", "Park", "Queen's", "Grange", "Manor",
           "Springfield", "Albert", "Orchard", "Meadow"]  # fmt: skip


class NhsNumbers:
    """Unique valid test-range NHS numbers from a seeded random source."""

    def __init__(self, random):
        self.random = random
        self.used = set()

    def new(self):
        while True:
            number = with_check_digit(f"999{self.random.randint(0, 999_999):06d}")
            if number and number not in self.used:
                self.used.add(number)
                return number


def address(random, la_name):
    return f"{random.randint(1, 180)} {random.choice(STREETS)} Road\n{la_name}"
