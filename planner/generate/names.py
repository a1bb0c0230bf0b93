"""Vietnamese names for the generated officers: surname, middle and given name.

Surnames follow their national frequencies (Nguyễn for more than a third); kin and clan
share theirs (:mod:`planner.generate.relations`), so related officers read as such.
"""

from __future__ import annotations

import random

from planner.generate.distributions import pick

SURNAMES = {"Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Huỳnh": 1.5, "Phan": 4.5,
            "Vũ": 2.5, "Võ": 1.5, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3,
            "Dương": 1, "Lý": 0.5, "Đinh": 0.8, "Trịnh": 0.6, "Lương": 0.5, "Đoàn": 0.5, "Mai": 0.4,
            "Hà": 0.5, "Lò": 0.2, "Cầm": 0.1, "Nông": 0.2}
MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Ngọc", "Đình"],
          "female": ["Thị", "Thu", "Ngọc", "Thanh", "Thị", "Kim", "Hồng", "Minh"]}
GIVEN = {"male": ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Quân",
                  "Bình", "Cường", "Đạt", "Huy", "Khánh", "Phong", "Tâm", "Thành", "Trung", "Việt",
                  "Hoà", "Lâm", "Phúc", "Tú", "Vinh", "Hiếu", "Toàn", "Hưng", "Kiên", "Lợi"],
         "female": ["Hương", "Lan", "Hoa", "Mai", "Hằng", "Linh", "Nga", "Thảo", "Trang", "Yến",
                    "Hà", "Hạnh", "Thu", "Vân", "Loan", "Huyền", "Phương", "Dung", "Oanh", "Nhung"]}


def draw_names(officers: list[dict], surname_of: dict[int, str], rng: random.Random) -> list[str]:
    """A full name per officer, in order; `surname_of` (by officer index) where kin share one."""
    names = []
    for i, o in enumerate(officers):
        sur = surname_of.get(i) or pick(rng, SURNAMES)
        names.append(f"{sur} {rng.choice(MIDDLE[o['gender']])} {rng.choice(GIVEN[o['gender']])}")
    return names
