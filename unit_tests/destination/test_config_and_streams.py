from __future__ import annotations

import pytest

from destination_zoho_crm.config import DestinationConfig, StreamSettings
from destination_zoho_crm.errors import DestinationConfigError
from destination_zoho_crm.operations import Operation, operation_for_sync_mode, record_operation
from destination_zoho_crm.streams import check_target, resolve
from unit_tests.destination.fakes import FIELDS, MODULES, configured_catalog

MODULES_BY_NAME = {m.api_name: m for m in MODULES}


@pytest.mark.parametrize("mode, op", [("append", Operation.CREATE), ("append_dedup", Operation.UPSERT),
                                      ("update", Operation.UPSERT), ("soft_delete", Operation.DELETE)])
def test_given_a_sync_mode_when_mapped_then_design_md_operation(mode, op) -> None:
    assert operation_for_sync_mode("s", mode) is op


def test_given_overwrite_when_mapped_then_refused_with_the_alternatives() -> None:
    with pytest.raises(DestinationConfigError, match="refuses.*append .*soft_delete"):
        operation_for_sync_mode("leads", "overwrite")


def test_given_a_record_operation_when_read_then_it_overrides_the_default_whatever_its_case() -> None:
    assert record_operation({"_zoho_operation": "Delete"}, Operation.CREATE) is Operation.DELETE
    assert record_operation({"_zoho_operation": None}, Operation.CREATE) is Operation.CREATE
    with pytest.raises(ValueError, match="use one of: create, update, upsert, delete, convert, clone"):
        record_operation({"_zoho_operation": "merge"}, Operation.CREATE)


def test_given_a_full_config_when_parsed_then_every_setting_is_read() -> None:
    config = DestinationConfig.from_mapping({
        "streams": [{"name": "people", "module": "Contacts", "operation": "upsert", "matching_keys": ["Email"]}],
        "trigger": ["workflow"], "dry_run": True, "on_rejected": "report", "max_parallel_batches": 4})
    assert config.streams["people"] == StreamSettings("people", "Contacts", Operation.UPSERT, ("Email",))
    assert (config.trigger, config.dry_run, config.on_rejected, config.max_parallel_batches) == (
        ("workflow",), True, "report", 4)


def test_given_no_write_settings_when_parsed_then_defaults_trigger_nothing_and_fail_on_rejections() -> None:
    config = DestinationConfig.from_mapping({"client_id": "x"})
    assert (config.trigger, config.dry_run, config.on_rejected, config.max_parallel_batches) == ((), False, "fail", 10)


@pytest.mark.parametrize("bad, message", [
    ({"trigger": ["everything"]}, "'trigger' is 'everything'; use one of: workflow, approval, blueprint"),
    ({"on_rejected": "ignore"}, "'on_rejected'"),
    ({"max_parallel_batches": 11}, "1 to 10"),
    ({"streams": [{"module": "Leads"}]}, r"streams\[0\] has no 'name'"),
    ({"streams": [{"name": "a"}, {"name": "a"}]}, "configured twice"),
    ({"streams": [{"name": "a", "operation": "merge"}]}, r"streams\[0\].operation: unknown operation 'merge'"),
])
def test_given_a_bad_setting_when_parsed_then_the_error_names_the_key(bad, message) -> None:
    with pytest.raises(DestinationConfigError, match=message):
        DestinationConfig.from_mapping(bad)


def test_given_a_destination_object_name_when_resolved_then_it_wins_over_settings_and_stream_name() -> None:
    config = DestinationConfig.from_mapping({"streams": [{"name": "people", "module": "Leads"}]})
    [stream] = configured_catalog(("people", "append"), object_names={"people": "Contacts"}).streams
    assert resolve(stream, config).module == "Contacts"
    [stream] = configured_catalog(("people", "append")).streams
    assert resolve(stream, config).module == "Leads"
    assert resolve(stream, DestinationConfig()).module == "people"


def test_given_a_primary_key_when_resolved_then_it_is_the_matching_key_unless_configured() -> None:
    [stream] = configured_catalog(("Leads", "append_dedup"), primary_key={"Leads": [["Email"]]}).streams
    assert resolve(stream, DestinationConfig()).matching_keys == ("Email",)
    config = DestinationConfig.from_mapping({"streams": [{"name": "Leads", "matching_keys": ["Phone"]}]})
    assert resolve(stream, config).matching_keys == ("Phone",)


def test_given_upsert_matching_on_id_when_resolved_then_it_is_an_update() -> None:
    [stream] = configured_catalog(("Leads", "append_dedup"), primary_key={"Leads": [["id"]]}).streams
    assert resolve(stream, DestinationConfig()).operation is Operation.UPDATE


def test_given_a_non_unique_matching_key_when_checked_then_the_error_lists_the_unique_fields() -> None:
    [stream] = configured_catalog(("Leads", "append_dedup"), primary_key={"Leads": [["Company"]]}).streams
    with pytest.raises(DestinationConfigError, match="Company cannot be a matching key.*unique fields: Email"):
        check_target(resolve(stream, DestinationConfig()), MODULES_BY_NAME, FIELDS["Leads"])


def test_given_a_module_without_the_permission_when_checked_then_the_error_says_which() -> None:
    [stream] = configured_catalog(("Readonly_Module", "soft_delete")).streams
    with pytest.raises(DestinationConfigError, match="not deletable for this Zoho user"):
        check_target(resolve(stream, DestinationConfig()), MODULES_BY_NAME, [])
