"""Wallet addresses are found when their checksum holds, in any script, and refused otherwise.

Valid addresses are built here from random payloads with their own checksums
(Base58Check, Bech32/Bech32m, EIP-55), independently of the extractor's code.
"""

from __future__ import annotations

import hashlib

import base58
import pytest
from bech32 import CHARSET, bech32_hrp_expand, bech32_polymod, convertbits
from Crypto.Hash import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText, normalize
from suar.detect.wallets import extract_wallets
from suar.domain import Indicator

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32M = 0x2BC830A3


def wallets(text: str) -> list[Indicator]:
    found = list(extract_wallets(normalize(text), Hints()))
    for ind in found:
        assert 0 <= ind.span[0] < ind.span[1] <= len(text)
    return found


def found(text: str) -> list[tuple[str, str]]:
    """(value, evidence) for every wallet in ``text``."""
    return [(i.value, text[i.span[0] : i.span[1]]) for i in wallets(text)]


# --- building real-format addresses -----------------------------------------------------


def base58check(version: int, payload: bytes) -> str:
    raw = bytes([version]) + payload
    checksum = hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4]
    return base58.b58encode(raw + checksum).decode("ascii")


def segwit(version: int, program: bytes, *, constant: int | None = None) -> str:
    """A bc1 address; Bech32 for version 0 and Bech32m after, unless ``constant`` says."""
    five = convertbits(list(program), 8, 5)
    assert five is not None
    data = [version, *five]
    if constant is None:
        constant = 1 if version == 0 else BECH32M
    polymod = bech32_polymod(bech32_hrp_expand("bc") + data + [0] * 6) ^ constant
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(CHARSET[d] for d in data + checksum)


def eip55(payload: bytes) -> str:
    digits = payload.hex()
    digest = keccak.new(digest_bits=256, data=digits.encode()).hexdigest()
    # 40 hex digits, each cased by the matching nibble of the 64-digit hash
    mixed = "".join(
        c.upper() if int(h, 16) >= 8 else c for c, h in zip(digits, digest[:40], strict=True)
    )
    return "0x" + mixed


def flip(address: str, alphabet: str, at: int | None = None) -> str:
    """The address with one character (in its middle by default) replaced."""
    i = len(address) // 2 if at is None else at
    old = address[i]
    new = next(c for c in alphabet if c != old and c.lower() != old.lower())
    return address[:i] + new + address[i + 1 :]


PKH = bytes(range(1, 21))
P2PKH = base58check(0x00, PKH)
P2SH = base58check(0x05, bytes(range(40, 60)))
TRON = base58check(0x41, bytes(range(100, 120)))
P2WPKH = segwit(0, PKH)
P2WSH = segwit(0, bytes(range(32)))
P2TR = segwit(1, bytes(range(200, 232)))
ETH_MIXED = eip55(bytes(range(50, 70)))


def test_built_addresses_have_their_usual_shape() -> None:
    assert P2PKH.startswith("1") and P2SH.startswith("3")
    assert TRON.startswith("T") and len(TRON) == 34
    assert P2WPKH.startswith("bc1q") and P2TR.startswith("bc1p")
    assert ETH_MIXED != ETH_MIXED.lower()


# --- each chain ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "chain", "fmt"),
    [
        (P2PKH, "bitcoin", "p2pkh"),
        (P2SH, "bitcoin", "p2sh"),
        (P2WPKH, "bitcoin", "p2wpkh"),
        (P2WSH, "bitcoin", "p2wsh"),
        (P2TR, "bitcoin", "p2tr"),
        (segwit(2, bytes(range(16))), "bitcoin", "segwit_v2"),
        (TRON, "tron", "base58check"),
        (ETH_MIXED, "ethereum", "eip55"),
    ],
)
def test_valid_address_is_found_with_chain_and_format(address: str, chain: str, fmt: str) -> None:
    text = f"Deposit to {address} today"
    [ind] = wallets(text)
    expected = address.lower() if chain != "tron" and address[0] in "0b" else address
    assert (ind.value, text[ind.span[0] : ind.span[1]]) == (expected, address)
    assert (ind.attrs["chain"], ind.attrs["format"]) == (chain, fmt)


@pytest.mark.parametrize(
    ("address", "alphabet"),
    [
        (P2PKH, BASE58_ALPHABET),
        (P2SH, BASE58_ALPHABET),
        (TRON, BASE58_ALPHABET),
        (P2WPKH, CHARSET),
        (P2TR, CHARSET),
        (ETH_MIXED, "0123456789abcdef"),
    ],
)
def test_one_changed_character_is_refused(address: str, alphabet: str) -> None:
    assert found(f"Deposit to {address} today") == [(found(address)[0][0], address)]
    assert found(f"Deposit to {flip(address, alphabet)} today") == []


def test_published_test_vectors() -> None:
    # BIP-173 and BIP-350 examples, and the EIP-55 specification's first example.
    assert found("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4") == [
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    ]
    taproot = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
    assert found(taproot) == [(taproot, taproot)]
    eth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert found(eth) == [(eth.lower(), eth)]


def test_segwit_version_must_match_its_checksum_variant() -> None:
    assert found(segwit(0, PKH, constant=BECH32M)) == []
    assert found(segwit(1, bytes(range(32)), constant=1)) == []
    assert found(segwit(0, bytes(range(25)))) == []  # v0 programs are 20 or 32 bytes


def test_bech32_in_mixed_case_is_refused() -> None:
    mixed = P2WPKH[:10] + P2WPKH[10:].upper()
    assert found(mixed) == []
    assert found(P2WPKH.upper()) == [(P2WPKH, P2WPKH.upper())]


def test_ethereum_case_tells_whether_the_address_is_checksummed() -> None:
    lower = ETH_MIXED.lower()
    upper = "0x" + ETH_MIXED[2:].upper()
    for written, checksummed, fmt in (
        (lower, False, "hex"),
        (upper, False, "hex"),
        (ETH_MIXED, True, "eip55"),
    ):
        text = f"ví ETH {written}"
        [ind] = wallets(text)
        assert (ind.value, text[ind.span[0] : ind.span[1]]) == (lower, written)
        assert (ind.attrs["checksummed"], ind.attrs["format"]) == (checksummed, fmt)
    wrong_case = "0x" + "".join(c.swapcase() for c in ETH_MIXED[2:])
    assert found(wrong_case) == []


def test_base58_version_must_fit_the_leading_character() -> None:
    litecoin = base58check(0x30, PKH)  # "L...": right checksum, not a chain we report
    assert found(litecoin) == []
    assert found(base58check(0x6F, PKH)) == []  # Bitcoin testnet


# --- every script -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "โอนเงินมัดจำที่{}ด่วน",
        "押金请转到{}谢谢",
        "ငွေလွှဲရန်{}သို့",
        "ផ្ញើប្រាក់ទៅ{}ឥឡូវនេះ",
        "Chuyển tiền vào ví {}, nhanh",
        "Kirim ke dompet:{}.",
        "（{}）",
    ],
)
@pytest.mark.parametrize("address", [P2PKH, TRON, P2TR, ETH_MIXED])
def test_address_embedded_in_any_script_without_spaces(template: str, address: str) -> None:
    text = template.format(address)
    assert [evidence for _, evidence in found(text)] == [address]


def test_full_width_address_maps_back_to_the_original() -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in TRON)
    text = f"USDT：{wide}"
    [ind] = wallets(text)
    assert (ind.value, text[ind.span[0] : ind.span[1]]) == (TRON, wide)


# --- token context ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "token"),
    [
        (f"USDT (TRC20): {TRON}", "USDT-TRC20"),
        (f"Nạp USDT vào {TRON}", "USDT"),
        (f"mạng TRC-20 {TRON}", "TRC20"),
        (f"USDT ERC20 ví {ETH_MIXED}", "USDT-ERC20"),
        (f"{ETH_MIXED} (usdt bep20)", "USDT-BEP20"),
        (f"USDT押金地址{TRON}", "USDT"),
    ],
)
def test_token_named_near_the_address(text: str, token: str) -> None:
    [ind] = wallets(text)
    assert text[ind.span[0] : ind.span[1]] in (TRON, ETH_MIXED)
    assert ind.attrs["token"] == token


def test_token_far_away_or_of_another_network_is_not_attached() -> None:
    far = f"USDT accepted. {'Kami menerima pekerja baru setiap minggu. ' * 4}Alamat: {TRON}"
    [ind] = wallets(far)
    assert (far[ind.span[0] : ind.span[1]], "token" in ind.attrs) == (TRON, False)
    other = f"TRC20 {ETH_MIXED}"
    [ind] = wallets(other)
    assert (other[ind.span[0] : ind.span[1]], "token" in ind.attrs) == (ETH_MIXED, False)


# --- false positives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Order 1234567890123456789012345678901 shipped",
        "Ref TXyzABCDEFGHJKLMNPQRSTUVWXYZabcdef",
        "tx 0x" + "ab" * 32,
        "hash " + "ab" * 20,
        "id x" + P2PKH,
        P2PKH + "x",
        "bc1 is a prefix, bc1qqqqqq too short",
    ],
)
def test_look_alikes_are_not_wallets(text: str) -> None:
    assert found(text) == []


# --- properties ---------------------------------------------------------------------------

PAYLOAD = st.binary(min_size=20, max_size=20)


@settings(max_examples=200, deadline=None)
@given(PAYLOAD, st.sampled_from([(0x00, "bitcoin"), (0x05, "bitcoin"), (0x41, "tron")]))
def test_every_base58check_address_is_found(payload: bytes, version: tuple[int, str]) -> None:
    address = base58check(version[0], payload)
    text = f"ví:{address}。"
    [ind] = wallets(text)
    assert (ind.value, text[ind.span[0] : ind.span[1]]) == (address, address)
    assert ind.attrs["chain"] == version[1]


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.integers(min_value=0, max_value=16))
def test_every_segwit_address_is_found(program: bytes, version: int) -> None:
    address = segwit(version, program)
    assert found(f"địa chỉ {address}") == [(address, address)]


@settings(max_examples=200, deadline=None)
@given(PAYLOAD)
def test_every_ethereum_address_is_found_in_each_case(payload: bytes) -> None:
    checksummed = eip55(payload)
    for written in (checksummed, checksummed.lower()):
        assert found(f"ERC20 {written}") == [(checksummed.lower(), written)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_wallets_that_index_the_original(text: str) -> None:
    # Any code point, straight to the extractor (the normaliser has its own tests).
    for ind in extract_wallets(NormalizedText(original=text, text=text), Hints()):
        assert ind.kind == "wallet"
        assert 0 <= ind.span[0] < ind.span[1] <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0xFFFF), max_size=300))
def test_any_normalised_text_gives_wallets_that_index_the_original(text: str) -> None:
    for ind in wallets(text):
        assert ind.kind == "wallet"
        assert text[ind.span[0] : ind.span[1]]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(BASE58_ALPHABET + "0xbc ")), max_size=120))
def test_address_like_noise_never_breaks_the_extractor(text: str) -> None:
    wallets(text)
