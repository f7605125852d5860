"""Identifiers for invented people: valid NHS numbers and UPNs that belong to nobody."""

from __future__ import annotations

import random

from stdnum.gb import upn


class NhsNumbers:
    """A scrambled sequence of 9-digit bodies with modulus-11 check digits; never repeats."""

    _SPAN = 400_000_000
    _STEP = 193_877_317  # coprime with the span, so the sequence never repeats

    def __init__(self, seed: int) -> None:
        self._next = random.Random(f"nhs:{seed}").randrange(self._SPAN)

    def issue(self) -> str:
        """The next body in the sequence, with its modulus-11 check digit."""
        while True:
            self._next += 1
            body = 400_000_000 + (self._next * self._STEP) % self._SPAN
            total, rest = 0, body
            for weight in range(2, 11):  # units digit weighs 2, the leading digit 10
                rest, digit = divmod(rest, 10)
                total += weight * digit
            check = (11 - total % 11) % 11
            if check != 10:  # no valid number has this body
                return f"{body}{check}"


class Upns:
    """Unique pupil numbers, none issued twice."""

    def __init__(self) -> None:
        self._issued: set[str] = set()

    def issue(self, rng: random.Random, dfe: str, year: int) -> str:
        """Check letter, DfE LA number, school number, year of issue, serial: valid and unique."""
        while True:
            body = f"{dfe}{rng.randint(2000, 3999)}{year:02d}{rng.randint(0, 999):03d}"
            number = upn.calc_check_digit(body) + body
            if number not in self._issued:
                self._issued.add(number)
                return number
