"""Offline: keys, records, errors, no chain needed."""

import pytest

import gpunion

# testnet/accounts.json: a public test key.
VALIDATOR = (
    "oval army slide sense latin task genuine gossip enable rough pool human risk "
    "shove fabric cargo future harbor habit welcome once boss shrimp member"
)


def test_imported_wallet_derives_the_known_address_and_hides_its_secret():
    wallet = gpunion.Wallet.from_mnemonic(VALIDATOR, "wasm")
    assert wallet.address() == "wasm1q9p9mcrjnnakay6lflyznrgpp7hge6zfngk2vl"
    for shown in (str(wallet), repr(wallet)):
        assert "oval" not in shown
    assert wallet.export_mnemonic() == VALIDATOR


def test_generated_wallets_are_new_and_reimport():
    a = gpunion.Wallet.generate("wasm")
    b = gpunion.Wallet.generate("wasm")
    assert a.address() != b.address()
    assert len(a.export_mnemonic().split()) == 24
    assert gpunion.Wallet.from_mnemonic(a.export_mnemonic(), "wasm").address() == a.address()


def test_bad_mnemonic_is_bad_input_without_the_phrase():
    with pytest.raises(gpunion.GpunionError.BadInput) as caught:
        gpunion.Wallet.from_mnemonic("oval army slide", "wasm")
    assert "oval" not in str(caught.value)
    assert isinstance(caught.value, gpunion.GpunionError)


def test_bad_deployment_is_a_decode_error():
    with pytest.raises(gpunion.GpunionError.Decode):
        gpunion.Client.from_json("{", [])


def test_missing_deployment_file_is_bad_input(tmp_path):
    with pytest.raises(gpunion.GpunionError.BadInput):
        gpunion.Client(str(tmp_path / "nope.json"), [])


def test_records_are_dataclasses_and_enums_are_enums():
    import dataclasses
    import enum

    f = gpunion.ProviderFilter(country="DE")
    assert dataclasses.is_dataclass(f)
    assert f.max_price_per_hour is None
    assert issubclass(gpunion.LeaseState, enum.Enum)
    assert gpunion.LeaseState.PENDING != gpunion.LeaseState.CLOSED
