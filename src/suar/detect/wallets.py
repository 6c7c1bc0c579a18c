"""Crypto wallet addresses: Bitcoin, Ethereum (and other EVM chains), TRON.

Compounds pay "salaries" and collect "visa fees" and "deposits" in USDT, mostly
on TRON (TRC-20) and Ethereum (ERC-20), so a wallet address in a job post is a
strong pivot. Only addresses whose checksum holds are kept: a random run of
letters of the right length is not reported.

- Bitcoin: Base58Check P2PKH (``1…``) and P2SH (``3…``); SegWit ``bc1…`` in
  Bech32 (version 0) or Bech32m (version 1 and later, BIP-350).
- Ethereum: ``0x`` and 40 hex digits; a mixed-case address must pass the
  EIP-55 checksum (Keccak-256), an all-lower or all-upper one is taken as
  unchecksummed.
- TRON: Base58Check, 34 characters starting with ``T`` (version byte 0x41).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Final

import base58
from bech32 import CHARSET, bech32_hrp_expand, bech32_polymod, convertbits
from Crypto.Hash import keccak

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText
from suar.domain import Indicator

logger = logging.getLogger(__name__)

_BASE58: Final = "1-9A-HJ-NP-Za-km-z"
_BECH32: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
# The first character comes first (not a look-behind) so that the regex engine
# can skip ahead to it; the look-behind then checks the character before it.
_CANDIDATE: Final = re.compile(
    r"[13TbB0](?<![A-Za-z0-9].)(?:"
    rf"(?<=[13T])[{_BASE58}]{{25,34}}"
    rf"|(?<=b)c1[{_BECH32}]{{8,87}}|(?<=B)C1[{_BECH32.upper()}]{{8,87}}"
    r"|(?<=0)x[0-9a-fA-F]{40}"
    r")(?![A-Za-z0-9])"
)
# Token names written near an address; "TRC-20" and "TRC 20" count as "TRC20".
_TOKEN: Final = re.compile(
    r"(?<![A-Za-z0-9])(?P<name>USDT|USDC|(?:TRC|ERC|BEP)[- ]?20)(?![A-Za-z0-9])", re.IGNORECASE
)
#: How far around an address a token name still describes it (code points).
TOKEN_CONTEXT: Final = 80
#: Network names that fit a chain; another chain's network name is ignored.
_NETWORKS: Final = {"tron": ("TRC20",), "ethereum": ("ERC20", "BEP20"), "bitcoin": ()}
_BECH32M_CONST: Final = 0x2BC830A3
_BASE58_VERSIONS: Final = {
    0x00: ("bitcoin", "p2pkh"),
    0x05: ("bitcoin", "p2sh"),
    0x41: ("tron", "base58check"),
}


def _base58_address(address: str) -> tuple[str, str] | None:
    """(chain, format) of a Base58Check address whose checksum holds."""
    try:
        payload = base58.b58decode_check(address)
    except ValueError:
        return None
    if len(payload) != 21:
        return None
    found = _BASE58_VERSIONS.get(payload[0])
    if found is None:
        return None
    if (found[0] == "tron") != address.startswith("T"):
        return None
    return found


def _segwit_format(address: str) -> str | None:
    """Format of a valid Bitcoin SegWit address (BIP-173 and BIP-350), else ``None``."""
    if len(address) > 90:
        return None
    lower = address.lower()
    hrp, _, rest = lower.rpartition("1")
    if hrp != "bc" or len(rest) < 7:
        return None
    data = [CHARSET.find(c) for c in rest]
    if -1 in data:
        return None
    const = bech32_polymod(bech32_hrp_expand(hrp) + data)
    if const not in (1, _BECH32M_CONST):
        return None
    version = data[0]
    program = convertbits(data[1:-6], 5, 8, False)
    if program is None or version > 16 or not 2 <= len(program) <= 40:
        return None
    # Version 0 must use Bech32, every later version Bech32m (BIP-350).
    if (version == 0) != (const == 1):
        return None
    if version == 0:
        if len(program) == 20:
            return "p2wpkh"
        return "p2wsh" if len(program) == 32 else None
    if version == 1 and len(program) == 32:
        return "p2tr"
    return f"segwit_v{version}"


def eip55_checksum(address: str) -> str:
    """The EIP-55 mixed-case spelling of a ``0x`` + 40-hex address."""
    digits = address[2:].lower()
    digest = keccak.new(digest_bits=256, data=digits.encode("ascii")).hexdigest()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(h, 16) >= 8 else c
        for c, h in zip(digits, digest, strict=False)
    )


def _eth_checksummed(address: str) -> bool | None:
    """True for a valid EIP-55 address, False for an unchecksummed one, None if wrong."""
    digits = address[2:]
    if digits == digits.lower() or digits == digits.upper():
        return False
    return True if eip55_checksum(address) == address else None


def _token(text: str, start: int, end: int, chain: str) -> str | None:
    """Token named near the address: "USDT", "USDT-TRC20", "ERC20"..., or ``None``."""
    coin: str | None = None
    network: str | None = None
    lo = max(0, start - TOKEN_CONTEXT)
    for m in _TOKEN.finditer(text, lo, end + TOKEN_CONTEXT):
        name = re.sub(r"[- ]", "", m.group("name").upper())
        if name in ("USDT", "USDC"):
            coin = coin or name
        elif name in _NETWORKS[chain]:
            network = network or name
    if coin and network:
        return f"{coin}-{network}"
    return coin or network


def extract_wallets(nt: NormalizedText, hints: Hints) -> Iterator[Indicator]:
    """Find Bitcoin, Ethereum and TRON addresses whose checksum holds.

    Yields ``wallet`` indicators: value is the address (Ethereum lower-cased,
    Bech32 lower-cased, Base58 as written), attrs ``chain`` ("bitcoin",
    "ethereum", "tron"), ``format`` ("p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr",
    "segwit_vN", "eip55", "hex", "base58check"), ``checksummed`` for Ethereum, and
    ``token`` ("USDT", "USDT-TRC20", "ERC20", ...) when a token or network is
    named near it. Spans index the original text. ``hints`` is not needed.
    """
    del hints
    text = nt.text
    for m in _CANDIDATE.finditer(text):
        address = m.group()
        attrs: dict[str, object]
        if address[0] == "0":
            checksummed = _eth_checksummed(address)
            if checksummed is None:
                continue
            value = address.lower()
            attrs = {
                "chain": "ethereum",
                "format": "eip55" if checksummed else "hex",
                "checksummed": checksummed,
            }
        elif address[0] in "bB":
            fmt = _segwit_format(address)
            if fmt is None:
                continue
            value = address.lower()
            attrs = {"chain": "bitcoin", "format": fmt}
        else:
            found = _base58_address(address)
            if found is None:
                continue
            value = address
            attrs = {"chain": found[0], "format": found[1]}
        token = _token(text, m.start(), m.end(), str(attrs["chain"]))
        if token is not None:
            attrs["token"] = token
        yield Indicator("wallet", value, nt.to_original(m.start(), m.end()), attrs)
