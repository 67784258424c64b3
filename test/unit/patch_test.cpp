// JSON Merge Patch (RFC 7396) and JSON Patch (RFC 6902) on resources.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

#include "resource/patch.hpp"

using tmfd::ApiError;
namespace json = tmfd::json;
using namespace tmfd::resource;

namespace {

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

// Applies a merge patch given as text to a target given as text.
json::object merged(std::string_view target, std::string_view patch) {
  json::object t = obj(target);
  apply_merge_patch(t, obj(patch));
  return t;
}

json::object patched(std::string_view target, std::string_view patch) {
  json::object t = obj(target);
  apply_json_patch(t, json::parse(patch));
  return t;
}

// Expects apply_json_patch to fail with `status`, leaving the target exactly as it was.
ApiError patch_error(std::string_view target, std::string_view patch, int status) {
  json::object t = obj(target);
  const json::object before = t;
  try {
    apply_json_patch(t, json::parse(patch));
  } catch (const ApiError& e) {
    CHECK(e.http_status() == status);
    CHECK(t == before);
    return e;
  }
  FAIL("expected ApiError " << status << " for patch " << std::string(patch));
  throw std::logic_error("unreachable");
}

} // namespace

// ---------------------------------------------------------------------------------------------
// RFC 7396
// ---------------------------------------------------------------------------------------------

TEST_CASE("merge patch: the cases of the RFC 7396 appendix, rephrased", "[patch][merge]") {
  // Replace a scalar, add a member, keep the rest.
  CHECK(merged(R"({"x":"old"})", R"({"x":"new"})") == obj(R"({"x":"new"})"));
  CHECK(merged(R"({"x":"old"})", R"({"y":"added"})") == obj(R"({"x":"old","y":"added"})"));
  // null removes; removing an absent member is fine.
  CHECK(merged(R"({"x":"old","y":"gone"})", R"({"y":null})") == obj(R"({"x":"old"})"));
  CHECK(merged(R"({"x":1})", R"({"nope":null})") == obj(R"({"x":1})"));
  // Arrays are replaced wholesale, never merged element by element.
  CHECK(merged(R"({"x":["a","b"]})", R"({"x":"c"})") == obj(R"({"x":"c"})"));
  CHECK(merged(R"({"x":"c"})", R"({"x":["a"]})") == obj(R"({"x":["a"]})"));
  CHECK(merged(R"({"x":[{"a":1,"b":2}]})", R"({"x":[{"a":9}]})") == obj(R"({"x":[{"a":9}]})"));
  // Objects merge recursively.
  CHECK(merged(R"({"x":{"y":"keep","z":"old"}})", R"({"x":{"z":"new"}})") ==
        obj(R"({"x":{"y":"keep","z":"new"}})"));
  CHECK(merged(R"({"x":{"y":"keep","z":"old"}})", R"({"x":{"z":null}})") ==
        obj(R"({"x":{"y":"keep"}})"));
  // A scalar replaced by an object: nulls inside the new object are dropped.
  CHECK(merged(R"({"x":"scalar"})", R"({"x":{"y":null,"z":1}})") == obj(R"({"x":{"z":1}})"));
  CHECK(merged(R"({})", R"({"x":{"y":{"z":null}}})") == obj(R"({"x":{"y":{}}})"));
  // An object replaced by a scalar.
  CHECK(merged(R"({"x":{"y":1}})", R"({"x":2})") == obj(R"({"x":2})"));
  // Nulls inside arrays are values, not removals.
  CHECK(merged(R"({})", R"({"x":[null,1]})") == obj(R"({"x":[null,1]})"));
  // The empty patch changes nothing.
  CHECK(merged(R"({"x":1,"y":[2]})", R"({})") == obj(R"({"x":1,"y":[2]})"));
}

TEST_CASE("merge patch: a TMF-like resource", "[patch][merge]") {
  auto result = merged(
      R"({"id":"1","name":"Alice","status":"active","contactMedium":[{"mediumType":"email"}],
          "characteristic":{"color":"red","size":"L"}})",
      R"({"status":"inactive","contactMedium":[],"characteristic":{"size":null,"shape":"round"},
          "description":"VIP"})");
  CHECK(result == obj(R"({"id":"1","name":"Alice","status":"inactive","contactMedium":[],
                          "characteristic":{"color":"red","shape":"round"},"description":"VIP"})"));
}

TEST_CASE("merge patch: a non-object patch is 400", "[patch][merge]") {
  for (std::string_view text : {"[]", "1", "\"x\"", "null", "true", R"([{"a":1}])"}) {
    json::object t = obj(R"({"a":1})");
    try {
      apply_merge_patch(t, json::parse(text));
      FAIL("expected a 400 for " << std::string(text));
    } catch (const ApiError& e) {
      CHECK(e.http_status() == 400);
    }
    CHECK(t == obj(R"({"a":1})"));
  }
  // An object passed as a json::value is fine.
  json::object t = obj(R"({"a":1})");
  apply_merge_patch(t, json::value(obj(R"({"b":2})")));
  CHECK(t == obj(R"({"a":1,"b":2})"));
}

// ---------------------------------------------------------------------------------------------
// RFC 6902: each operation, modelled on the examples of its appendix A
// ---------------------------------------------------------------------------------------------

TEST_CASE("json patch: add", "[patch][json]") {
  CHECK(patched(R"({"a":"x"})", R"([{"op":"add","path":"/b","value":"y"}])") ==
        obj(R"({"a":"x","b":"y"})"));
  // Into an array at an index, at the end (index == size) and with "-".
  CHECK(patched(R"({"l":["a","c"]})", R"([{"op":"add","path":"/l/1","value":"b"}])") ==
        obj(R"({"l":["a","b","c"]})"));
  CHECK(patched(R"({"l":["a"]})", R"([{"op":"add","path":"/l/1","value":"b"}])") ==
        obj(R"({"l":["a","b"]})"));
  CHECK(patched(R"({"l":["a"]})", R"([{"op":"add","path":"/l/-","value":["z"]}])") ==
        obj(R"({"l":["a",["z"]]})"));
  CHECK(patched(R"({"l":[]})", R"([{"op":"add","path":"/l/0","value":1}])") ==
        obj(R"({"l":[1]})"));
  // A nested object member; an existing member is replaced.
  CHECK(patched(R"({"a":{"b":1}})", R"([{"op":"add","path":"/a/c","value":{"d":2}}])") ==
        obj(R"({"a":{"b":1,"c":{"d":2}}})"));
  CHECK(patched(R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])") == obj(R"({"a":2})"));
  // null is a value like any other.
  CHECK(patched(R"({})", R"([{"op":"add","path":"/n","value":null}])") == obj(R"({"n":null})"));
  // The whole document, as long as it stays an object.
  CHECK(patched(R"({"a":1})", R"([{"op":"add","path":"","value":{"b":2}}])") == obj(R"({"b":2})"));
}

TEST_CASE("json patch: remove", "[patch][json]") {
  CHECK(patched(R"({"a":1,"b":2})", R"([{"op":"remove","path":"/b"}])") == obj(R"({"a":1})"));
  CHECK(patched(R"({"l":["a","b","c"]})", R"([{"op":"remove","path":"/l/1"}])") ==
        obj(R"({"l":["a","c"]})"));
  CHECK(patched(R"({"a":{"b":{"c":1,"d":2}}})", R"([{"op":"remove","path":"/a/b/c"}])") ==
        obj(R"({"a":{"b":{"d":2}}})"));
}

TEST_CASE("json patch: replace", "[patch][json]") {
  CHECK(patched(R"({"a":1,"b":2})", R"([{"op":"replace","path":"/b","value":"two"}])") ==
        obj(R"({"a":1,"b":"two"})"));
  CHECK(patched(R"({"l":[1,2]})", R"([{"op":"replace","path":"/l/0","value":{"x":1}}])") ==
        obj(R"({"l":[{"x":1},2]})"));
  CHECK(patched(R"({"a":1})", R"([{"op":"replace","path":"","value":{"z":0}}])") ==
        obj(R"({"z":0})"));
}

TEST_CASE("json patch: move", "[patch][json]") {
  CHECK(patched(R"({"a":{"b":1,"c":2},"d":{}})", R"([{"op":"move","from":"/a/c","path":"/d/c"}])") ==
        obj(R"({"a":{"b":1},"d":{"c":2}})"));
  // Within an array: the removal happens first, then the insert.
  CHECK(patched(R"({"l":["a","b","c","d"]})", R"([{"op":"move","from":"/l/1","path":"/l/3"}])") ==
        obj(R"({"l":["a","c","d","b"]})"));
  // Renaming a top-level attribute.
  CHECK(patched(R"({"old":1})", R"([{"op":"move","from":"/old","path":"/new"}])") ==
        obj(R"({"new":1})"));
  // Onto itself: a no-op.
  CHECK(patched(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a"}])") ==
        obj(R"({"a":{"b":1}})"));
}

TEST_CASE("json patch: copy", "[patch][json]") {
  CHECK(patched(R"({"a":{"b":[1,2]}})", R"([{"op":"copy","from":"/a/b","path":"/c"}])") ==
        obj(R"({"a":{"b":[1,2]},"c":[1,2]})"));
  // Copy into the array it comes from.
  CHECK(patched(R"({"l":[{"x":1}]})", R"([{"op":"copy","from":"/l/0","path":"/l/-"}])") ==
        obj(R"({"l":[{"x":1},{"x":1}]})"));
  // Copy of a parent into its own child is allowed (the value is copied first).
  CHECK(patched(R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/a/self"}])") ==
        obj(R"({"a":{"b":1,"self":{"b":1}}})"));
}

TEST_CASE("json patch: test", "[patch][json]") {
  const char* doc = R"({"s":"v","n":10,"f":1.5,"b":true,"z":null,"l":[1,{"k":"v"}],
                        "o":{"x":1,"y":[2]}})";
  CHECK(patched(doc, R"([{"op":"test","path":"/s","value":"v"},
                         {"op":"test","path":"/n","value":10},
                         {"op":"test","path":"/n","value":10.0},
                         {"op":"test","path":"/f","value":1.5},
                         {"op":"test","path":"/b","value":true},
                         {"op":"test","path":"/z","value":null},
                         {"op":"test","path":"/l","value":[1,{"k":"v"}]},
                         {"op":"test","path":"/l/1/k","value":"v"},
                         {"op":"test","path":"/o","value":{"y":[2],"x":1}},
                         {"op":"test","path":"","value":)" +
                             std::string(doc) + "}]") == obj(doc));

  auto fails = [&](const std::string& op) {
    auto e = patch_error(doc, "[" + op + "]", 409);
    CHECK(e.code() == "PATCH_TEST_FAILED");
  };
  fails(R"({"op":"test","path":"/s","value":"w"})");
  fails(R"({"op":"test","path":"/n","value":"10"})");   // type matters
  fails(R"({"op":"test","path":"/n","value":11})");
  fails(R"({"op":"test","path":"/b","value":1})");
  fails(R"({"op":"test","path":"/z","value":false})");
  fails(R"({"op":"test","path":"/l","value":[{"k":"v"},1]})");  // order matters in arrays
  fails(R"({"op":"test","path":"/l","value":[1]})");
  fails(R"({"op":"test","path":"/o","value":{"x":1}})");
  fails(R"({"op":"test","path":"/o","value":{"x":1,"y":[2],"extra":0}})");
  fails(R"({"op":"test","path":"/missing","value":null})");
  fails(R"({"op":"test","path":"/l/5","value":1})");
}

TEST_CASE("json patch: numbers compare by value across representations", "[patch][json]") {
  // int64 vs uint64, and negative vs unsigned.
  CHECK_NOTHROW(patched(R"({"n":18446744073709551615})",
                        R"([{"op":"test","path":"/n","value":18446744073709551615}])"));
  json::object t = obj(R"({"n":5})");
  json::array p;
  p.push_back(json::object{{"op", "test"}, {"path", "/n"}, {"value", std::uint64_t{5}}});
  CHECK_NOTHROW(apply_json_patch(t, p));
  CHECK(patch_error(R"({"n":-1})", R"([{"op":"test","path":"/n","value":18446744073709551615}])",
                    409).code() == "PATCH_TEST_FAILED");
}

TEST_CASE("json patch: RFC 6901 pointer escapes", "[patch][json]") {
  const char* doc = R"({"a/b":1,"m~n":2,"~1":3,"":4,"x":{"":5}})";
  CHECK(patched(doc, R"([{"op":"test","path":"/a~1b","value":1},
                         {"op":"test","path":"/m~0n","value":2},
                         {"op":"test","path":"/~01","value":3},
                         {"op":"test","path":"/","value":4},
                         {"op":"test","path":"/x/","value":5}])") == obj(doc));
  CHECK(patched(R"({})", R"([{"op":"add","path":"/a~1b~0c","value":true}])") ==
        obj(R"({"a/b~c":true})"));
  // A member named "-" or "0" in an object is just a key.
  CHECK(patched(R"({"o":{}})", R"([{"op":"add","path":"/o/-","value":1},
                                   {"op":"add","path":"/o/01","value":2}])") ==
        obj(R"({"o":{"-":1,"01":2}})"));
}

TEST_CASE("json patch: operations apply in order on the evolving document", "[patch][json]") {
  CHECK(patched(R"({"status":"initialized","items":[]})",
                R"([{"op":"test","path":"/status","value":"initialized"},
                    {"op":"replace","path":"/status","value":"validated"},
                    {"op":"add","path":"/items/-","value":{"id":"1"}},
                    {"op":"add","path":"/items/-","value":{"id":"2"}},
                    {"op":"remove","path":"/items/0"},
                    {"op":"test","path":"/items/0/id","value":"2"},
                    {"op":"copy","from":"/status","path":"/previous"},
                    {"op":"move","from":"/previous","path":"/items/0/status"}])") ==
        obj(R"({"status":"validated","items":[{"id":"2","status":"validated"}]})"));
  // Unknown members of an operation are ignored, as RFC 6902 requires.
  CHECK(patched(R"({"a":1})", R"([{"op":"remove","path":"/a","comment":"why","value":0}])") ==
        obj(R"({})"));
  // An empty patch changes nothing.
  CHECK(patched(R"({"a":1})", "[]") == obj(R"({"a":1})"));
}

// ---------------------------------------------------------------------------------------------
// Failures: 400 or 409, and the target untouched
// ---------------------------------------------------------------------------------------------

TEST_CASE("json patch: atomicity", "[patch][json]") {
  const char* doc = R"({"a":1,"l":[1,2,3],"o":{"k":"v"}})";
  SECTION("a failed test after changes") {
    patch_error(doc, R"([{"op":"replace","path":"/a","value":2},
                         {"op":"remove","path":"/l/0"},
                         {"op":"add","path":"/o/new","value":true},
                         {"op":"test","path":"/a","value":1}])", 409);
  }
  SECTION("a missing path after changes") {
    patch_error(doc, R"([{"op":"remove","path":"/o"},
                         {"op":"add","path":"/l/-","value":4},
                         {"op":"replace","path":"/nope","value":0}])", 400);
  }
  SECTION("a malformed operation after valid ones") {
    patch_error(doc, R"([{"op":"remove","path":"/a"},{"op":"frobnicate","path":"/l"}])", 400);
  }
  SECTION("an operation that leaves a non-object") {
    patch_error(doc, R"([{"op":"remove","path":"/a"},{"op":"replace","path":"","value":[1]}])", 400);
    patch_error(doc, R"([{"op":"add","path":"","value":"text"}])", 400);
  }
}

TEST_CASE("json patch: malformed documents are 400", "[patch][json]") {
  const char* doc = R"({"a":1})";
  patch_error(doc, R"({"op":"remove","path":"/a"})", 400);  // not an array
  patch_error(doc, "null", 400);
  patch_error(doc, "[1]", 400);
  patch_error(doc, R"([{"path":"/a"}])", 400);                        // no op
  patch_error(doc, R"([{"op":5,"path":"/a"}])", 400);                 // op not a string
  patch_error(doc, R"([{"op":"ADD","path":"/a","value":1}])", 400);   // ops are case sensitive
  patch_error(doc, R"([{"op":"add","value":1}])", 400);               // no path
  patch_error(doc, R"([{"op":"add","path":1,"value":1}])", 400);      // path not a string
  patch_error(doc, R"([{"op":"add","path":"/b"}])", 400);             // no value
  patch_error(doc, R"([{"op":"replace","path":"/a"}])", 400);
  patch_error(doc, R"([{"op":"test","path":"/a"}])", 400);
  patch_error(doc, R"([{"op":"move","path":"/b"}])", 400);            // no from
  patch_error(doc, R"([{"op":"copy","path":"/b","from":null}])", 400);
  auto e = patch_error(doc, R"([{"op":"test","path":"/a","value":1},{"op":"nope","path":"/a"}])", 400);
  CHECK(e.detail().find("index 1") != std::string::npos);
}

TEST_CASE("json patch: bad pointers and missing paths are 400", "[patch][json]") {
  const char* doc = R"({"a":1,"l":[1,2],"o":{"k":"v"}})";
  patch_error(doc, R"([{"op":"add","path":"a","value":1}])", 400);        // no leading '/'
  patch_error(doc, R"([{"op":"add","path":"/a~2","value":1}])", 400);     // bad escape
  patch_error(doc, R"([{"op":"add","path":"/a~","value":1}])", 400);
  patch_error(doc, R"([{"op":"test","path":"o/k","value":"v"}])", 400);   // malformed, not 409
  patch_error(doc, R"([{"op":"copy","from":"x","path":"/b"}])", 400);
  // Parents that do not exist, or are scalars.
  patch_error(doc, R"([{"op":"add","path":"/x/y","value":1}])", 400);
  patch_error(doc, R"([{"op":"add","path":"/a/b","value":1}])", 400);
  // Array indexes: past the end, leading zeros, not numbers, "-" where an element is needed.
  patch_error(doc, R"([{"op":"add","path":"/l/3","value":0}])", 400);
  patch_error(doc, R"([{"op":"add","path":"/l/01","value":0}])", 400);
  patch_error(doc, R"([{"op":"add","path":"/l/x","value":0}])", 400);
  patch_error(doc, R"([{"op":"add","path":"/l/-1","value":0}])", 400);
  patch_error(doc, R"([{"op":"add","path":"/l/99999999999999999999999","value":0}])", 400);
  patch_error(doc, R"([{"op":"remove","path":"/l/2"}])", 400);
  patch_error(doc, R"([{"op":"remove","path":"/l/-"}])", 400);
  patch_error(doc, R"([{"op":"replace","path":"/l/-","value":0}])", 400);
  // Members that do not exist.
  patch_error(doc, R"([{"op":"remove","path":"/nope"}])", 400);
  patch_error(doc, R"([{"op":"remove","path":"/o/nope"}])", 400);
  patch_error(doc, R"([{"op":"replace","path":"/nope","value":1}])", 400);
  patch_error(doc, R"([{"op":"move","from":"/nope","path":"/b"}])", 400);
  patch_error(doc, R"([{"op":"move","from":"/nope","path":"/nope"}])", 400);
  patch_error(doc, R"([{"op":"copy","from":"/nope","path":"/b"}])", 400);
  patch_error(doc, R"([{"op":"move","from":"/a","path":"/x/y"}])", 400);
  // Removing the whole resource, or moving a value into its own child.
  patch_error(doc, R"([{"op":"remove","path":""}])", 400);
  patch_error(doc, R"([{"op":"move","from":"/o","path":"/o/k2"}])", 400);
}

TEST_CASE("json patch: top-level targets", "[patch][json]") {
  auto targets = json_patch_top_level_targets(json::parse(
      R"([{"op":"replace","path":"/status","value":"x"},
          {"op":"add","path":"/characteristic/-","value":{}},
          {"op":"remove","path":"/note/0/text"},
          {"op":"move","from":"/oldName","path":"/newName"},
          {"op":"copy","from":"/source","path":"/status2"},
          {"op":"test","path":"/id","value":"1"},
          {"op":"replace","path":"/status","value":"y"},
          {"op":"add","path":"/a~1b/c","value":1}])"));
  CHECK(targets == std::vector<std::string>{"status", "characteristic", "note", "oldName",
                                             "newName", "status2", "a/b"});

  // The whole document shows up as "".
  CHECK(json_patch_top_level_targets(
            json::parse(R"([{"op":"replace","path":"","value":{}}])")) ==
        std::vector<std::string>{""});
  CHECK(json_patch_top_level_targets(json::parse("[]")).empty());

  // Malformed documents are refused exactly as apply_json_patch refuses them.
  for (std::string_view bad : {R"({})", R"([{"op":"x","path":"/a"}])",
                               R"([{"op":"add","path":"a","value":1}])",
                               R"([{"op":"move","path":"/a"}])"}) {
    try {
      json_patch_top_level_targets(json::parse(bad));
      FAIL("expected a 400 for " << std::string(bad));
    } catch (const ApiError& e) {
      CHECK(e.http_status() == 400);
    }
  }
}
