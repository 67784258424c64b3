// TMF630 fields= projection.
#include <catch2/catch.hpp>

#include <tmfd/json.hpp>

#include "resource/projection.hpp"

namespace json = tmfd::json;
using tmfd::resource::project_fields;

namespace {

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const char* const party = R"({
  "id": "42", "href": "/party/42", "@type": "Individual", "@baseType": "Party",
  "givenName": "Ada", "familyName": "Lovelace", "status": "validated",
  "validFor": {"startDateTime": "2024-01-01", "endDateTime": "2025-01-01"},
  "contactMedium": [
    {"mediumType": "email", "preferred": true, "characteristic": {"emailAddress": "a@x", "city": "L"}},
    {"mediumType": "phone", "characteristic": {"phoneNumber": "1"}},
    "not-an-object",
    [{"mediumType": "nested"}]
  ],
  "tags": ["a", "b"],
  "nickname": null
})";

} // namespace

TEST_CASE("projection keeps listed top-level attributes plus id, href and @type", "[projection]") {
  CHECK(project_fields(obj(party), {"givenName", "status"}) ==
        obj(R"({"id":"42","href":"/party/42","@type":"Individual","givenName":"Ada",
               "status":"validated"})"));
}

TEST_CASE("projection preserves the resource's member order", "[projection]") {
  auto p = project_fields(obj(party), {"status", "givenName", "@type"});
  std::vector<std::string> keys;
  for (const auto& m : p) keys.emplace_back(m.key());
  CHECK(keys == std::vector<std::string>{"id", "href", "@type", "givenName", "status"});
}

TEST_CASE("projection keeps whole values of any kind", "[projection]") {
  CHECK(project_fields(obj(party), {"validFor", "tags", "nickname"}) ==
        obj(R"({"id":"42","href":"/party/42","@type":"Individual",
               "validFor":{"startDateTime":"2024-01-01","endDateTime":"2025-01-01"},
               "tags":["a","b"],"nickname":null})"));
}

TEST_CASE("dotted fields restrict nested objects", "[projection]") {
  CHECK(project_fields(obj(party), {"validFor.startDateTime"}) ==
        obj(R"({"id":"42","href":"/party/42","@type":"Individual",
               "validFor":{"startDateTime":"2024-01-01"}})"));
  // Two sub-attributes of the same parent merge.
  CHECK(project_fields(obj(R"({"id":"1","a":{"b":1,"c":2,"d":3}})"), {"a.b", "a.d"}) ==
        obj(R"({"id":"1","a":{"b":1,"d":3}})"));
  // Deeper paths.
  CHECK(project_fields(obj(R"({"a":{"b":{"c":1,"d":2},"e":3}})"), {"a.b.c"}) ==
        obj(R"({"a":{"b":{"c":1}}})"));
  // A whole attribute wins over its sub-attributes, in either order.
  auto whole = obj(R"({"a":{"b":{"c":1,"d":2},"e":3}})");
  CHECK(project_fields(whole, {"a.b", "a"}) == whole);
  CHECK(project_fields(whole, {"a", "a.b.c"}) == whole);
  CHECK(project_fields(whole, {"a.b.c", "a.b"}) == obj(R"({"a":{"b":{"c":1,"d":2}}})"));
}

TEST_CASE("dotted fields project arrays of objects element-wise", "[projection]") {
  CHECK(project_fields(obj(party), {"contactMedium.mediumType"}) ==
        obj(R"({"id":"42","href":"/party/42","@type":"Individual",
               "contactMedium":[{"mediumType":"email"},{"mediumType":"phone"},
                                [{"mediumType":"nested"}]]})"));
  CHECK(project_fields(obj(party), {"contactMedium.characteristic.emailAddress", "id"}) ==
        obj(R"({"id":"42","href":"/party/42","@type":"Individual",
               "contactMedium":[{"characteristic":{"emailAddress":"a@x"}},
                                {"characteristic":{}},[{}]]})"));
}

TEST_CASE("dotted fields on values without sub-attributes", "[projection]") {
  // A scalar has no sub-attribute: it is dropped rather than kept whole.
  CHECK(project_fields(obj(R"({"id":"1","a":"text","n":null})"), {"a.b", "n.x"}) ==
        obj(R"({"id":"1"})"));
  // An object without the sub-attribute stays, empty; an array of scalars becomes empty.
  CHECK(project_fields(obj(R"({"id":"1","o":{"x":1},"t":["a","b"]})"), {"o.b", "t.x"}) ==
        obj(R"({"id":"1","o":{},"t":[]})"));
}

TEST_CASE("unknown fields are ignored", "[projection]") {
  CHECK(project_fields(obj(party), {"nothing", "also.nothing"}) ==
        obj(R"({"id":"42","href":"/party/42","@type":"Individual"})"));
}

TEST_CASE("id, href and @type are kept only when present", "[projection]") {
  CHECK(project_fields(obj(R"({"name":"n","other":1})"), {"name"}) == obj(R"({"name":"n"})"));
  // Asking for them explicitly is harmless.
  CHECK(project_fields(obj(R"({"id":"1","x":2})"), {"id", "href"}) == obj(R"({"id":"1"})"));
  // Only top-level ones are implied: nested id/href follow the normal rules.
  CHECK(project_fields(obj(R"({"id":"1","rp":[{"id":"9","href":"h","role":"r"}]})"), {"rp.role"}) ==
        obj(R"({"id":"1","rp":[{"role":"r"}]})"));
  // @baseType is not implied.
  CHECK_FALSE(project_fields(obj(party), {"status"}).contains("@baseType"));
}

TEST_CASE("an empty field list means no projection", "[projection]") {
  CHECK(project_fields(obj(party), {}) == obj(party));
}

TEST_CASE("entries with empty segments name nothing", "[projection]") {
  CHECK(project_fields(obj(R"({"id":"1","a":{"b":1}})"), {"", ".a", "a..b", "a."}) ==
        obj(R"({"id":"1"})"));
}

TEST_CASE("projection does not modify its input", "[projection]") {
  const json::object original = obj(party);
  json::object copy = original;
  (void)project_fields(copy, {"contactMedium.mediumType"});
  CHECK(copy == original);
}
