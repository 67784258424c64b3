// Unit tests for the test-support SpecValidator. Most cases run against the
// real TM Forum files in ../shared/tmf-specs so that the validator is proven
// on what the integration tests will actually use; they are skipped when the
// folder is absent. The last cases use small synthetic specs written to a
// temporary file to pin down edge cases the real files do not exercise.
#include "spec_validator.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h> // getpid, for unique temporary file names

using tmfd::test::find_spec_dir;
using tmfd::test::SpecValidator;

namespace {

// Loads one spec file from the shared folder, or nullopt (after a Catch2
// warning) when the folder is not available on this machine.
std::optional<SpecValidator> load_spec(const std::string& file) {
    const std::string dir = find_spec_dir();
    if (dir.empty()) {
        WARN("../shared/tmf-specs not found; skipping spec-file based test");
        return std::nullopt;
    }
    return SpecValidator::load(dir + "/" + file);
}

std::optional<SpecValidator> party_spec() { return load_spec("TMF632-Party-v4.0.0.swagger.json"); }

boost::json::value parse(const char* text) { return boost::json::parse(text); }

bool mentions(const std::vector<std::string>& problems, const std::string& needle) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
        return p.find(needle) != std::string::npos;
    });
}

// A realistic TMF632 Individual touching nested objects, arrays of $ref
// items, the Any type, integers, date-times and an extension field.
const char* const valid_individual = R"({
    "id": "42",
    "href": "http://localhost/tmf-api/party/v4/individual/42",
    "givenName": "Ada",
    "familyName": "Lovelace",
    "birthDate": "1815-12-10T00:00:00Z",
    "deathDate": "1852-11-27T12:30:00.123+01:00",
    "status": "validated",
    "contactMedium": [{
        "mediumType": "email",
        "preferred": true,
        "characteristic": {"emailAddress": "ada@example.org"},
        "validFor": {"startDateTime": "2020-01-01T00:00:00Z"}
    }],
    "creditRating": [{"creditAgencyName": "ACME", "ratingScore": 700}],
    "partyCharacteristic": [
        {"name": "shoeSize", "value": 38},
        {"name": "tags", "value": ["a", "b"]}
    ],
    "middleName": null,
    "x-customerSegment": "gold",
    "@type": "Individual"
})";

} // namespace

TEST_CASE("SpecValidator: has_definition reports spec definitions", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    CHECK(spec->has_definition("Individual"));
    CHECK(spec->has_definition("Error"));
    CHECK(spec->has_definition("IndividualCreateEvent"));
    CHECK_FALSE(spec->has_definition("NoSuchDefinition"));
    CHECK_FALSE(spec->has_definition(""));
}

TEST_CASE("SpecValidator: unknown definition is reported, not thrown", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    const auto problems = spec->validate(parse("{}"), "NoSuchDefinition");
    REQUIRE(problems.size() == 1);
    CHECK(mentions(problems, "NoSuchDefinition"));
}

TEST_CASE("SpecValidator: valid Individual passes", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    const auto problems = spec->validate(parse(valid_individual), "Individual");
    INFO(Catch::Detail::stringify(problems));
    CHECK(problems.empty());
}

TEST_CASE("SpecValidator: top-level type mismatch", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    const auto problems = spec->validate(parse(R"([{"id": "1"}])"), "Individual");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "$: expected object, got array");
}

TEST_CASE("SpecValidator: Error requires code and reason", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;

    CHECK(spec->validate(parse(R"({"code": "404", "reason": "Not found"})"), "Error").empty());

    const auto missing = spec->validate(parse(R"({"code": "404"})"), "Error");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0] == "$: missing required property 'reason'");

    const auto both_missing = spec->validate(parse(R"({"message": "oops"})"), "Error");
    CHECK(both_missing.size() == 2);
    CHECK(mentions(both_missing, "'code'"));
    CHECK(mentions(both_missing, "'reason'"));
}

TEST_CASE("SpecValidator: null is a problem only for required properties", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;

    const auto optional_null =
        spec->validate(parse(R"({"code": "1", "reason": "r", "message": null})"), "Error");
    CHECK(optional_null.empty());

    const auto required_null = spec->validate(parse(R"({"code": "1", "reason": null})"), "Error");
    REQUIRE(required_null.size() == 1);
    CHECK(required_null[0] == "$.reason: required property is null");
}

TEST_CASE("SpecValidator: wrong type inside an array item names the path", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    auto doc = parse(valid_individual);
    doc.at("contactMedium").at(0).as_object()["preferred"] = "yes";

    const auto problems = spec->validate(doc, "Individual");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "$.contactMedium[0].preferred: expected boolean, got string");
}

TEST_CASE("SpecValidator: problems deep inside an event payload", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;

    const auto good = spec->validate(parse(R"({
        "eventId": "e1", "eventType": "IndividualCreateEvent",
        "eventTime": "2024-02-29T23:59:60Z",
        "event": {"individual": {"id": "1", "givenName": "Ada"}}
    })"), "IndividualCreateEvent");
    INFO(Catch::Detail::stringify(good));
    CHECK(good.empty());

    const auto bad = spec->validate(parse(R"({
        "eventId": "e1",
        "event": {"individual": {"givenName": 7,
                                 "contactMedium": [{}, {"characteristic": {"city": false}}]}}
    })"), "IndividualCreateEvent");
    INFO(Catch::Detail::stringify(bad));
    CHECK(bad.size() == 3);
    CHECK(mentions(bad, "$.event.individual: missing required property 'id'"));
    CHECK(mentions(bad, "$.event.individual.givenName: expected string, got integer"));
    CHECK(mentions(bad, "$.event.individual.contactMedium[1].characteristic.city: "
                        "expected string, got boolean"));
}

TEST_CASE("SpecValidator: date-time format", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    auto with_birth_date = [&](const char* value) {
        boost::json::object doc{{"id", "1"}, {"birthDate", value}};
        return spec->validate(doc, "Individual");
    };

    for (const char* good : {"2021-03-04T05:06:07Z", "2021-03-04T05:06:07.5Z",
                             "2021-03-04T05:06:07.123456+05:30", "2021-03-04t05:06:07-08:00",
                             "2020-02-29T00:00:00z"}) {
        INFO(good);
        CHECK(with_birth_date(good).empty());
    }

    for (const char* bad : {"2021-03-04", "2021-03-04T05:06:07", "2021-03-04 05:06:07Z",
                            "2021-13-04T05:06:07Z", "2021-02-29T00:00:00Z",
                            "2021-03-04T24:00:00Z", "2021-03-04T05:06:07.Z",
                            "2021-03-04T05:06:07+0100", "21-03-04T05:06:07Z",
                            "2021-03-04T05:06:07Zjunk", "not a date", ""}) {
        INFO(bad);
        const auto problems = with_birth_date(bad);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].rfind("$.birthDate: ", 0) == 0);
        CHECK(mentions(problems, "date-time"));
    }
}

TEST_CASE("SpecValidator: enum values", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    auto with_status = [&](const char* value) {
        boost::json::object doc{{"id", "1"}, {"status", value}};
        return spec->validate(doc, "Individual");
    };

    CHECK(with_status("initialized").empty());
    CHECK(with_status("validated").empty());
    // The published IndividualStateType says "deceaded"; "deceased" is meant.
    CHECK(with_status("deceased").empty());
    CHECK(with_status("deceaded").empty());

    const auto problems = with_status("deleted");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("$.status: ", 0) == 0);
    CHECK(mentions(problems, "\"deleted\""));
    CHECK(mentions(problems, "\"validated\""));

    // Case and surrounding blanks in the value are not forgiven.
    CHECK_FALSE(with_status("Validated").empty());
    CHECK_FALSE(with_status(" validated").empty());
}

TEST_CASE("SpecValidator: enum with a trailing blank in the spec", "[spec_validator]") {
    auto spec = load_spec("TMF637-ProductInventory-v4.0.0.swagger.json");
    if (!spec) return;
    // ProductStatusType publishes "aborted " with a trailing space.
    CHECK(spec->validate(parse(R"({"status": "aborted"})"), "Product").empty());
    CHECK(spec->validate(parse(R"({"status": "aborted "})"), "Product").empty());
    CHECK(spec->validate(parse(R"({"status": "active"})"), "Product").empty());
    CHECK_FALSE(spec->validate(parse(R"({"status": "abort"})"), "Product").empty());
}

TEST_CASE("SpecValidator: integer and number", "[spec_validator]") {
    auto spec = party_spec();
    if (!spec) return;
    auto with_score = [&](const char* score) {
        const std::string text =
            std::string(R"({"id": "1", "creditRating": [{"ratingScore": )") + score + "}]}";
        return spec->validate(boost::json::parse(text), "Individual");
    };

    CHECK(with_score("700").empty());
    CHECK(with_score("-3").empty());
    CHECK(with_score("18446744073709551615").empty()); // uint64
    CHECK(with_score("700.0").empty());                // double with zero fraction
    CHECK(with_score("7e2").empty());

    const auto fraction = with_score("700.5");
    REQUIRE(fraction.size() == 1);
    CHECK(fraction[0] == "$.creditRating[0].ratingScore: expected integer, got number");

    const auto text = with_score(R"("700")");
    REQUIRE(text.size() == 1);
    CHECK(text[0] == "$.creditRating[0].ratingScore: expected integer, got string");
}

// ---- synthetic specs --------------------------------------------------------

namespace {

// Writes a swagger document to a unique temporary file, removed on scope exit.
class TempSpec {
public:
    explicit TempSpec(const std::string& text) {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("tmfd_spec_validator_test_" + std::to_string(::getpid()) + "_" +
                 std::to_string(counter++) + ".json");
        std::ofstream(path_) << text;
    }
    ~TempSpec() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempSpec(const TempSpec&) = delete;
    TempSpec& operator=(const TempSpec&) = delete;
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

} // namespace

TEST_CASE("SpecValidator: load fails on unreadable or malformed files", "[spec_validator]") {
    CHECK_THROWS_AS(SpecValidator::load("/nonexistent/dir/none.swagger.json"), std::runtime_error);

    TempSpec not_json("{ this is not json");
    CHECK_THROWS_AS(SpecValidator::load(not_json.path()), std::runtime_error);

    TempSpec no_definitions(R"({"swagger": "2.0"})");
    CHECK_THROWS_AS(SpecValidator::load(no_definitions.path()), std::runtime_error);
}

TEST_CASE("SpecValidator: cyclic $ref terminates", "[spec_validator]") {
    TempSpec file(R"({"definitions": {
        "A": {"$ref": "#/definitions/B"},
        "B": {"allOf": [{"$ref": "#/definitions/A"}]},
        "Node": {"type": "object", "properties": {
            "name": {"type": "string"},
            "child": {"$ref": "#/definitions/Node"}}}
    }})");
    const auto spec = SpecValidator::load(file.path());

    const auto cyclic = spec.validate(parse("{}"), "A");
    REQUIRE(cyclic.size() == 1);
    CHECK(mentions(cyclic, "cyclic"));

    // A self-referencing data structure is fine as long as the data ends.
    CHECK(spec.validate(parse(R"({"name": "a", "child": {"child": {"name": "c"}}})"), "Node")
              .empty());
    const auto deep = spec.validate(parse(R"({"child": {"child": {"name": 1}}})"), "Node");
    REQUIRE(deep.size() == 1);
    CHECK(deep[0] == "$.child.child.name: expected string, got integer");
}

TEST_CASE("SpecValidator: allOf, dangling $ref and untyped schemas", "[spec_validator]") {
    TempSpec file(R"({"definitions": {
        "Base": {"type": "object", "required": ["id"],
                 "properties": {"id": {"type": "string"}}},
        "Derived": {"allOf": [{"$ref": "#/definitions/Base"},
                              {"type": "object", "required": ["size"],
                               "properties": {"size": {"type": "number"}}}]},
        "Dangling": {"type": "object", "properties": {"x": {"$ref": "#/definitions/Missing"}}},
        "Any": {},
        "Tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
    }})");
    const auto spec = SpecValidator::load(file.path());

    CHECK(spec.validate(parse(R"({"id": "1", "size": 2.5})"), "Derived").empty());
    const auto derived = spec.validate(parse(R"({"size": "big"})"), "Derived");
    CHECK(derived.size() == 2);
    CHECK(mentions(derived, "$: missing required property 'id'"));
    CHECK(mentions(derived, "$.size: expected number, got string"));

    const auto dangling = spec.validate(parse(R"({"x": 1})"), "Dangling");
    REQUIRE(dangling.size() == 1);
    CHECK(mentions(dangling, "$.x: unresolvable $ref"));

    for (const char* anything : {"null", "1", "\"s\"", "[1]", "{\"k\": true}"}) {
        INFO(anything);
        CHECK(spec.validate(parse(anything), "Any").empty());
    }

    CHECK(spec.validate(parse(R"(["a", "b", "a"])"), "Tags").empty());
    const auto tags = spec.validate(parse(R"(["a", "c", 3])"), "Tags");
    REQUIRE(tags.size() == 2);
    CHECK(tags[0].rfind("$[1]: value \"c\" is not one of", 0) == 0);
    CHECK(tags[1] == "$[2]: expected string, got integer");
}

TEST_CASE("find_spec_dir points at the shared TMF specs when present", "[spec_validator]") {
    const std::string dir = find_spec_dir();
    if (dir.empty()) {
        WARN("../shared/tmf-specs not found; skipping");
        return;
    }
    CHECK(std::filesystem::is_directory(dir));
    CHECK(std::filesystem::exists(std::filesystem::path(dir) / "TMF632-Party-v4.0.0.swagger.json"));
}
