// The malformed-input corpus: hundreds of bad requests (bodies, content types, patches, queries,
// paths, headers, framings) sent to the real binary with the party, catalog and event modules,
// each on its own connection. Every one must get its 4xx with a TMF error body that is valid
// JSON (and valid UTF-8), nothing may be stored by them, and the process must be alive and
// serving afterwards with no handler exception counted.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;
using Catch::Matchers::Contains;

namespace {

struct Case {
  std::string name;
  std::string bytes;  // the whole request as sent
  int status;         // the 4xx expected (or 501 for transfer codings tmfd does not implement)
};

std::string request(const std::string& method, const std::string& target, const std::vector<std::string>& headers,
                    const std::string& body = {}, bool with_length = true) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: tmfd\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  if (with_length && (!body.empty() || method == "POST" || method == "PATCH"))
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

const std::string kJson = "Content-Type: application/json";
const std::string kMerge = "Content-Type: application/merge-patch+json";
const std::string kJsonPatch = "Content-Type: application/json-patch+json";

const std::string kParty = "/tmf-api/party/v4";
const std::string kCatalog = "/tmf-api/productCatalogManagement/v4";

// Bodies no collection accepts: not JSON, not an object, or JSON tmfd cannot store.
std::vector<std::pair<std::string, std::string>> bad_bodies() {
  std::vector<std::pair<std::string, std::string>> b = {
      {"empty", ""},
      {"open brace", "{"},
      {"close brace", "}"},
      {"open bracket", "["},
      {"missing value", R"({"a":})"},
      {"single quotes", "{'a':1}"},
      {"trailing comma", R"({"a":1,})"},
      {"bare word", "nul"},
      {"leading zero", R"({"a":01})"},
      {"bare fraction", R"({"a":.5})"},
      {"bad exponent", R"({"a":1e})"},
      {"bad escape", R"({"a":"\x"})"},
      {"lone surrogate", R"({"a":"\ud800"})"},
      {"raw invalid UTF-8", "{\"a\":\"\xff\xfe\"}"},
      {"raw control character", "{\"a\":\"\x01\"}"},
      {"array", "[]"},
      {"number", "1"},
      {"string", "\"x\""},
      {"null", "null"},
      {"two documents", "{}{}"},
      {"trailing garbage", R"({"a":1}garbage)"},
      {"NaN", R"({"a":NaN})"},
      {"Infinity", R"({"a":Infinity})"},
      {"beyond double", R"({"a":1e999})"},
      {"beyond double, negative, nested", R"({"a":{"b":[-1e999]}})"},
      {"just past the largest double", R"({"a":1.8e308})"},
      {"comment", "{/*c*/}"},
      {"truncated string", R"({"a":"abc)"},
      {"unquoted key", "{a:1}"},
      {"NUL byte", std::string("{\"a\":1}\0", 8)},
  };
  b.push_back({"nested 40 deep", std::string(R"({"a":)") + std::string(40, '[') + std::string(40, ']') + "}"});
  return b;
}

std::vector<Case> body_cases() {
  const std::vector<std::string> collections = {
      kParty + "/individual", kParty + "/organization", "/tmf-api/customerManagement/v4/customer",
      kCatalog + "/productOffering", kCatalog + "/category", "/tmf-api/event/v4/topic", kParty + "/hub"};
  std::vector<Case> cases;
  for (const auto& path : collections)
    for (const auto& [name, body] : bad_bodies())
      cases.push_back({"POST " + path + ": " + name, request("POST", path, {kJson}, body), 400});
  // Bodies that are JSON objects but not what the kind accepts.
  const std::string ind = kParty + "/individual";
  for (const auto& [name, body] : std::vector<std::pair<std::string, std::string>>{
           {"no familyName", R"({"givenName":"A"})"},
           {"familyName a number", R"({"familyName":1})"},
           {"familyName an object", R"({"familyName":{}})"},
           {"birthDate not a date", R"({"familyName":"B","birthDate":"yesterday"})"},
           {"birthDate February 30th", R"({"familyName":"B","birthDate":"2020-02-30T00:00:00Z"})"},
           {"birthDate month 13", R"({"familyName":"B","birthDate":"2020-13-01T00:00:00Z"})"},
           {"birthDate without zone", R"({"familyName":"B","birthDate":"2020-01-01T00:00:00"})"},
           {"unknown status", R"({"familyName":"B","status":"zombie"})"},
           {"status a number", R"({"familyName":"B","status":5})"},
       })
    cases.push_back({"POST individual: " + name, request("POST", ind, {kJson}, body), 400});
  cases.push_back({"POST productOffering: reference to nothing",
                   request("POST", kCatalog + "/productOffering", {kJson},
                           R"({"name":"X","productSpecification":{"id":"no-such-spec"}})"),
                   400});
  cases.push_back({"POST hub: no callback", request("POST", kParty + "/hub", {kJson}, R"({"query":"a=1"})"), 400});
  cases.push_back({"POST hub: callback not allowed",
                   request("POST", kParty + "/hub", {kJson}, R"({"callback":"http://10.1.2.3/x"})"), 400});
  cases.push_back({"POST hub: bad query",
                   request("POST", kParty + "/hub", {kJson}, R"({"callback":"http://127.0.0.1:9/x","query":"limit=abc"})"),
                   400});
  cases.push_back({"POST importJob: not a file URL",
                   request("POST", kCatalog + "/importJob", {kJson}, R"({"url":"http://x/y.json"})"), 400});
  cases.push_back({"POST importJob: NUL in the URL",
                   request("POST", kCatalog + "/importJob", {kJson}, R"({"url":"file:///tmp/a\u0000b.json"})"), 400});
  cases.push_back({"POST importJob: outside the folder",
                   request("POST", kCatalog + "/importJob", {kJson}, R"({"url":"file:///etc/passwd"})"), 400});
  return cases;
}

std::vector<Case> content_type_cases() {
  const std::string ind = kParty + "/individual";
  const std::string body = R"({"givenName":"A","familyName":"B"})";
  std::vector<Case> cases;
  for (const char* type : {"text/plain", "application/xml", "application/jsonx", "*/*", "multipart/form-data",
                                  "application/json; charset=utf-16", "application/json;charset=latin1",
                                  "application/merge-patch+json", "application/x-www-form-urlencoded", ""})
    cases.push_back({"POST with Content-Type '" + std::string(type) + "'",
                     request("POST", ind, {"Content-Type: " + std::string(type)}, body), 415});
  cases.push_back({"POST without Content-Type", request("POST", ind, {}, body), 415});
  return cases;
}

std::vector<Case> patch_cases(const std::string& id) {
  const std::string target = kParty + "/individual/" + id;
  std::vector<Case> cases;
  auto json_patch = [&](const std::string& name, const std::string& body, int status) {
    cases.push_back({"JSON Patch: " + name, request("PATCH", target, {kJsonPatch}, body), status});
  };
  json_patch("an object", R"({"op":"add"})", 400);
  json_patch("an op without op", R"([{"path":"/a","value":1}])", 400);
  json_patch("an unknown op", R"([{"op":"merge","path":"/a","value":1}])", 400);
  json_patch("no path", R"([{"op":"add","value":1}])", 400);
  json_patch("a path without a slash", R"([{"op":"add","path":"a","value":1}])", 400);
  json_patch("a bad escape", R"([{"op":"add","path":"/a~2","value":1}])", 400);
  json_patch("add without value", R"([{"op":"add","path":"/a"}])", 400);
  json_patch("remove of nothing", R"([{"op":"remove","path":"/nothing"}])", 400);
  json_patch("add under a missing parent", R"([{"op":"add","path":"/x/y","value":1}])", 400);
  json_patch("array index out of range", R"([{"op":"add","path":"/arr/5","value":1}])", 400);
  json_patch("move into itself", R"([{"op":"move","from":"/contactMedium","path":"/contactMedium/0"}])", 400);
  json_patch("replace the whole resource with an array", R"([{"op":"replace","path":"","value":[]}])", 400);
  json_patch("remove the whole resource", R"([{"op":"remove","path":""}])", 400);
  json_patch("copy from nothing", R"([{"op":"copy","from":"/nothing","path":"/a"}])", 400);
  json_patch("a failing test", R"([{"op":"test","path":"/familyName","value":"Other"}])", 409);
  json_patch("change the id", R"([{"op":"replace","path":"/id","value":"mine"}])", 400);
  json_patch("an illegal state move", R"([{"op":"replace","path":"/status","value":"zombie"}])", 400);
  json_patch("copy of the root, again and again",
             R"([{"op":"copy","from":"","path":"/a"},{"op":"copy","from":"","path":"/b"},{"op":"copy","from":"","path":"/c"},)"
             R"({"op":"copy","from":"","path":"/d"},{"op":"copy","from":"","path":"/e"},{"op":"copy","from":"","path":"/f"},)"
             R"({"op":"copy","from":"","path":"/g"},{"op":"copy","from":"","path":"/h"},{"op":"copy","from":"","path":"/i"},)"
             R"({"op":"copy","from":"","path":"/j"},{"op":"copy","from":"","path":"/k"},{"op":"copy","from":"","path":"/l"},)"
             R"({"op":"copy","from":"","path":"/m"},{"op":"copy","from":"","path":"/n"},{"op":"copy","from":"","path":"/o"},)"
             R"({"op":"copy","from":"","path":"/p"},{"op":"copy","from":"","path":"/q"},{"op":"copy","from":"","path":"/r"},)"
             R"({"op":"copy","from":"","path":"/s"}])",
             413);
  json_patch("a number beyond double", R"([{"op":"add","path":"/x","value":1e999}])", 400);
  auto merge = [&](const std::string& name, const std::string& body, int status) {
    cases.push_back({"merge patch: " + name, request("PATCH", target, {kMerge}, body), status});
  };
  merge("an array", "[]", 400);
  merge("a number", "1", 400);
  merge("malformed", "{", 400);
  merge("change the id", R"({"id":"mine"})", 400);
  merge("remove a mandatory attribute", R"({"familyName":null})", 400);
  merge("a wrong type", R"({"familyName":7})", 400);
  merge("an unknown state", R"({"status":"zombie"})", 400);
  merge("a number beyond double", R"({"x":-1e999})", 400);
  cases.push_back({"PATCH with text/plain", request("PATCH", target, {"Content-Type: text/plain"}, "{}"), 415});
  cases.push_back({"PATCH with a blank If-Match", request("PATCH", target, {kMerge, "If-Match: "}, R"({"givenName":"Z"})"), 412});
  cases.push_back({"PATCH with a stale If-Match", request("PATCH", target, {kMerge, "If-Match: \"99\""}, R"({"givenName":"Z"})"), 412});
  cases.push_back({"DELETE with a stale If-Match", request("DELETE", target, {"If-Match: \"99\""}), 412});
  cases.push_back({"PATCH of nothing", request("PATCH", kParty + "/individual/no-such-id", {kMerge}, "{}"), 404});
  cases.push_back({"a filter on GET by id", request("GET", target + "?familyName=A", {}), 400});
  cases.push_back({"sort on GET by id", request("GET", target + "?sort=familyName", {}), 400});
  cases.push_back({"DELETE of nothing", request("DELETE", kParty + "/individual/no-such-id", {}), 404});
  return cases;
}

std::vector<Case> query_cases() {
  const std::vector<std::string> bad = {
      "limit=abc", "limit=-1", "limit=1.5", "limit=99999999999999999999999", "offset=x", "offset=-3", "limit=1&limit=2",
      "offset=1&offset=2", "fields=", "fields=a,,b", "fields=a..b", "sort=", "sort=--familyName", "sort=-", "sort=a,",
      "a%=1", "%ZZ=1", "familyName=%FF", "familyName=%00", "familyName=%", "=value", "familyName", "familyName=",
      "familyName.gt=a,b", "a..b=1", ".a=1", "a.=1", "a%20b=1", "a$=1", "familyName=a,,b", "fields=id&fields=href",
      "sort=a&sort=b", "familyName.lt=", "%2E=1"};
  std::vector<Case> cases;
  for (const auto& collection : {kParty + "/individual", kCatalog + "/productOffering"})
    for (const auto& q : bad) cases.push_back({"GET " + collection + "?" + q, request("GET", collection + "?" + q, {}), 400});
  std::string many;
  for (int i = 0; i < 101; ++i) many += (i ? "&" : "") + std::string("givenName=A");
  cases.push_back({"101 filters", request("GET", kParty + "/individual?" + many, {}), 400});
  std::string values;
  for (int i = 0; i < 1001; ++i) values += (i ? "," : "") + std::to_string(i);
  cases.push_back({"1001 values", request("GET", kParty + "/individual?nickName=" + values, {}), 400});
  cases.push_back({"hub list limit=abc", request("GET", kParty + "/hub?limit=abc", {}), 400});
  cases.push_back({"hub list with a filter", request("GET", kParty + "/hub?callback=x", {}), 400});
  return cases;
}

std::vector<Case> path_and_method_cases() {
  std::vector<Case> cases = {
      {"unknown API", request("GET", "/tmf-api/nothing/v4/thing", {}), 404},
      {"unknown collection", request("GET", kParty + "/nothing", {}), 404},
      {"too many segments", request("GET", kParty + "/individual/a/b", {}), 404},
      {"unknown id", request("GET", kParty + "/individual/no-such-id", {}), 404},
      {"percent-encoded junk id", request("GET", kParty + "/individual/%FF%00", {}), 404},
      {"dot segments", request("GET", "/tmf-api/party/v4/../../etc/passwd", {}), 404},
      {"double slashes", request("GET", "//tmf-api//party//v4//individual", {}), 404},
      {"a long path", request("GET", "/" + std::string(8000, 'p'), {}), 404},
      {"raw bytes in the path", "GET /tmf-api/party/v4/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"a space in the path", "GET /tmf-api/party v4 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"PUT on a collection", request("PUT", kParty + "/individual", {kJson}, "{}"), 405},
      {"DELETE on a collection", request("DELETE", kParty + "/individual", {}), 405},
      {"POST on an item", request("POST", kParty + "/individual/x", {kJson}, "{}"), 405},
      {"an unknown method", request("FROB", kParty + "/individual", {}), 405},
      {"PATCH on a collection", request("PATCH", kParty + "/individual", {kMerge}, "{}"), 405},
      {"POST on health", request("POST", "/health/live", {kJson}, "{}"), 405},
      {"PATCH of an import job", request("PATCH", kCatalog + "/importJob/x", {kMerge}, "{}"), 405},
  };
  return cases;
}

std::vector<Case> header_cases() {
  const std::string get = "GET /health/live HTTP/1.1\r\nHost: x\r\n";
  std::string many_headers = get;
  for (int i = 0; i < 2000; ++i) many_headers += "X-H" + std::to_string(i) + ": v\r\n";
  std::vector<Case> cases = {
      {"a header without a colon", get + "NoColon\r\n\r\n", 400},
      {"a space in a header name", get + "Bad Name: v\r\n\r\n", 400},
      {"a NUL in a header value", get + std::string("X-A: a\0b\r\n\r\n", 12), 400},
      {"a header over the limit", get + "X-Big: " + std::string(20000, 'v') + "\r\n\r\n", 431},
      {"two thousand headers", many_headers + "\r\n", 431},
      {"a request line of garbage", "GARBAGE\r\n\r\n", 400},
      {"a method alone", "GET\r\n\r\n", 400},
      {"an unknown HTTP version", "GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n", 400},
      {"bare LF line ends", "GET /health/live HTTP/1.1\nHost: x\n\n", 400},
      {"Content-Length not a number", request("POST", kParty + "/individual", {kJson, "Content-Length: abc"}, "{}", false), 400},
      {"Content-Length negative", request("POST", kParty + "/individual", {kJson, "Content-Length: -1"}, "{}", false), 400},
      {"a body over the limit", request("POST", kParty + "/individual", {kJson}, std::string(1048577, ' ')), 413},
      {"a declared body over the limit",
       request("POST", kParty + "/individual", {kJson, "Content-Length: 99999999"}, "", false), 413},
  };
  return cases;
}

std::vector<Case> framing_cases() {
  const std::string post = "POST " + kParty + "/individual HTTP/1.1\r\nHost: x\r\n" + kJson + "\r\n";
  const std::string body = R"({"givenName":"A","familyName":"BC"})";
  std::vector<Case> cases = {
      {"identity coding with a length", post + "Transfer-Encoding: identity\r\nContent-Length: 35\r\n\r\n" + body, 400},
      {"a length list", post + "Content-Length: 35, 35\r\n\r\n" + body, 400},
      {"two lengths", post + "Content-Length: 35\r\nContent-Length: 35\r\n\r\n" + body, 400},
      {"gzip coding", post + "Transfer-Encoding: gzip\r\n\r\n" + body, 501},
      {"chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n23\r\n" + body + "\r\n0\r\n\r\n", 501},
      {"chunked and a length", post + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n23\r\n" + body + "\r\n0\r\n\r\n", 400},
      {"two Transfer-Encoding fields", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"a chunk size that is not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n", 400},
      {"a chunk longer than said", post + "Transfer-Encoding: chunked\r\n\r\n2\r\n" + body + "\r\n0\r\n\r\n", 400},
      {"a chunked body over the limit", post + "Transfer-Encoding: chunked\r\n\r\n200000\r\n", 413},
      {"a trailer over the header limit",
       "GET /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + std::string(70000, 't') +
           "\r\n\r\n",
       431},
      {"a chunked body that is not JSON", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400},
  };
  return cases;
}

// The response `r` to `k`: its status, a TMF error body as valid UTF-8 JSON whose status is the
// HTTP status, and the connection closed when the transport refused the framing.
void check_case(const Case& k, const HttpResponse& r) {
  INFO(k.name << "\n  answered " << r.status << ": " << r.body.substr(0, 300));
  CHECK(r.status == k.status);
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  REQUIRE_FALSE(ec);
  REQUIRE(v.is_object());
  const auto& o = v.as_object();
  CHECK(str(o, "status") == std::to_string(r.status));
  CHECK(str(o, "@type") == "Error");
  CHECK_FALSE(str(o, "code").empty());
  CHECK_FALSE(str(o, "reason").empty());
}

} // namespace

TEST_CASE("hundreds of malformed requests each get their 4xx TMF error, and tmfd goes on serving",
          "[malformed][hardening]") {
  TmfdOptions options;
  options.full_yaml = TmfdProcess::default_yaml("$DIR", true) +
                      "  catalog:\n    enabled: true\n    import_directory: $DIR/imp\n"
                      "  event:\n    enabled: true\n"
                      "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n";
  TmfdProcess p(options);
  HttpClient c(p.port());
  auto created = post_json(c, kIndividuals, individual("Corpus", "Target"));
  REQUIRE(created.status == 201);
  const std::string id = str(created.json().as_object(), "id");
  const std::string before_body = c.get(kIndividuals + "/" + id).body;

  std::vector<Case> all;
  for (auto&& group : {body_cases(), content_type_cases(), patch_cases(id), query_cases(), path_and_method_cases(),
                       header_cases(), framing_cases()})
    all.insert(all.end(), group.begin(), group.end());
  REQUIRE(all.size() >= 300);
  for (const auto& k : all) check_case(k, c.raw(k.bytes));

  // Nothing was written by any of them, and the process serves as before.
  HttpClient after(p.port());
  CHECK(after.get("/health/ready").status == 200);
  CHECK(total_count(after, kIndividuals) == 1);
  CHECK(total_count(after, "/tmf-api/party/v4/organization") == 0);
  CHECK(total_count(after, kCatalog + "/productOffering") == 0);
  CHECK(total_count(after, "/tmf-api/event/v4/topic") == 0);
  CHECK(after.get(kIndividuals + "/" + id).body == before_body);
  CHECK(post_json(after, kIndividuals, individual("Still", "Serving")).status == 201);
  auto metrics = after.get("/metrics").body;
  CHECK(metric_value(metrics, "tmfd_handler_exceptions_total") == 0);
  CHECK_THAT(p.log_text(), !Contains("handler failed"));
  CHECK_THAT(p.log_text(), !Contains("terminate called"));
  REQUIRE(p.stop() == 0);
}
