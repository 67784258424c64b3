// Regression tests for the malformed input that once crashed tmfd, grew a resource without bound
// or was answered 500 (issue "Hardening"), each against the real binary over real sockets.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "test_configs.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;
using Catch::Matchers::Contains;

namespace {

const std::string kPartySpec = "TMF632-Party-v4.0.0.swagger.json";

// A chunked GET of /health/live whose trailer has one field of `value_bytes` bytes.
std::string chunked_with_trailer(std::size_t value_bytes) {
  return "GET /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " +
         std::string(value_bytes, 't') + "\r\n\r\n";
}

void require_serving(std::uint16_t port) {
  HttpClient c(port);
  REQUIRE(c.get("/health/live").status == 200);
}

std::string create_individual(HttpClient& c, const std::string& family) {
  auto r = post_json(c, kIndividuals, individual("Ada", family));
  REQUIRE(r.status == 201);
  return str(r.json().as_object(), "id");
}

} // namespace

TEST_CASE("a chunked trailer longer than the header limit is refused with 431, never an abort", "[hardening][http]") {
  TmfdProcess p;
  HttpClient c(p.port());
  for (std::size_t size : {70000u, 17000u}) {
    auto r = c.raw(chunked_with_trailer(size));
    INFO(size << ": " << r.body);
    CHECK(r.status == 431);
    check_error_response(r, 431, kPartySpec, "trailers");
    require_serving(p.port());
  }
  // A trailer within the limit is read and the request answered.
  CHECK(c.raw(chunked_with_trailer(100)).status == 200);
  CHECK_THAT(p.log_text(), !Contains("terminate called"));
}

TEST_CASE("the largest header limit still refuses a 70 KB header value with 431", "[hardening][http]") {
  TmfdProcess p(with_server_keys("  max_header_bytes: 65536\n"));
  HttpClient c(p.port());
  auto r = c.raw("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70000, 'v') + "\r\n\r\n");
  CHECK(r.status == 431);
  require_serving(p.port());
  auto chunked = c.raw(chunked_with_trailer(70000));
  CHECK(chunked.status == 431);
  require_serving(p.port());
}

TEST_CASE("a header limit above 64 KiB is refused at start, naming the key", "[hardening][config]") {
  auto dir = make_temp_dir();
  std::string yaml = TmfdProcess::default_yaml(dir, true);
  yaml.insert(yaml.find("server:\n") + 8, "  max_header_bytes: 100000\n");
  std::ofstream(dir + "/tmfd.yaml") << yaml;
  auto [rc, out] = run_tmfd("--check-config --config " + dir + "/tmfd.yaml");
  CHECK(rc == 2);
  CHECK_THAT(out, Contains("max_header_bytes"));
  remove_temp_dir(dir);
}

TEST_CASE("framing that could be read two ways is refused at once and the connection closed", "[hardening][http]") {
  TmfdProcess p;
  HttpClient c(p.port());
  const std::string post = "POST " + kIndividuals + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  const std::string body = R"({"givenName":"A","familyName":"BC"})";  // 35 bytes
  struct Case {
    const char* name;
    std::string bytes;
    int status;
  } cases[] = {
      {"identity with a length", post + "Transfer-Encoding: identity\r\nContent-Length: 35\r\n\r\n" + body, 400},
      {"a list as length", post + "Content-Length: 35, 35\r\n\r\n" + body, 400},
      {"two lengths", post + "Content-Length: 35\r\nContent-Length: 35\r\n\r\n" + body, 400},
      {"gzip", post + "Transfer-Encoding: gzip\r\n\r\n" + body, 501},
      {"chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n23\r\n" + body + "\r\n0\r\n\r\n", 501},
      {"chunked and a length", post + "Transfer-Encoding: chunked\r\nContent-Length: 35\r\n\r\n" + body, 400},
  };
  const auto before = total_count(c, kIndividuals);
  for (const auto& k : cases) {
    INFO(k.name);
    const auto started = std::chrono::steady_clock::now();
    auto r = c.raw(k.bytes);
    CHECK(r.status == k.status);
    CHECK(r.header("connection") == "close");
    check_error_response(r, k.status, kPartySpec);
    // Answered on reading the head, not after the 30 s read timeout.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  }
  CHECK(total_count(c, kIndividuals) == before);  // nothing was read as a second request
}

TEST_CASE("a request target with raw non-ASCII bytes gets a valid UTF-8 error and log line", "[hardening][http]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.raw("GET /tmf-api/party/v4/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(r.status == 400);
  check_error_response(r, 400, kPartySpec, "ASCII");
  // Percent-encoded, the same bytes are an ordinary unknown path.
  CHECK(c.get("/tmf-api/party/v4/%FF%FE").status == 404);
  CHECK(p.log_text().find('\xff') == std::string::npos);
}

TEST_CASE("numbers beyond double range are refused with 400 wherever JSON is read", "[hardening][json]") {
  TmfdProcess p(catalog_module_options(true, false, false));
  HttpClient c(p.port());
  const std::string catalog = "/tmf-api/productCatalogManagement/v4";
  for (const char* number : {"1e999", "-1e999", "1.8e308"}) {
    INFO(number);
    auto offering = c.request("POST", catalog + "/productOffering",
                              std::string(R"({"name":"X","x":{"y":[)") + number + "]}}",
                              {{"Content-Type", "application/json"}});
    check_error_response(offering, 400, "TMF620-ProductCatalog-v4.0.0.swagger.json", "range");
    auto hub = c.request("POST", catalog + "/hub",
                         std::string(R"({"callback":"http://127.0.0.1:9/x","n":)") + number + "}",
                         {{"Content-Type", "application/json"}});
    check_error_response(hub, 400, "TMF620-ProductCatalog-v4.0.0.swagger.json", "range");
  }
  // An import file with such a number fails its job with the reason; nothing is imported.
  std::filesystem::create_directories(p.dir() + "/imp");
  std::ofstream(p.dir() + "/imp/big.json") << R"({"productOffering":[{"id":"po-big","name":"Big","x":1e999}]})";
  auto job = post_json(c, catalog + "/importJob", json::object{{"url", "file://" + p.dir() + "/imp/big.json"}});
  REQUIRE(job.status == 201);
  const std::string job_path = catalog + "/importJob/" + str(job.json().as_object(), "id");
  REQUIRE(eventually([&] { return str(c.get(job_path).json().as_object(), "status") == "Failed"; },
                     std::chrono::seconds(10)));
  CHECK_THAT(str(c.get(job_path).json().as_object(), "errorLog"), Contains("range"));
  CHECK(c.get(catalog + "/productOffering/po-big").status == 404);
}

TEST_CASE("numbers beyond double range in patches are refused with 400", "[hardening][json]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto id = create_individual(c, "Numbers");
  auto merge = c.request("PATCH", kIndividuals + "/" + id, R"({"x":{"y":1e999}})",
                         {{"Content-Type", "application/merge-patch+json"}});
  check_error_response(merge, 400, kPartySpec, "range");
  auto patch = c.request("PATCH", kIndividuals + "/" + id, R"([{"op":"add","path":"/x","value":-1e999}])",
                         {{"Content-Type", "application/json-patch+json"}});
  check_error_response(patch, 400, kPartySpec, "range");
  CHECK(c.get(kIndividuals + "/" + id).header("etag") == "\"1\"");
}

TEST_CASE("a JSON Patch that copies the document into itself is stopped at the size limit", "[hardening][patch]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto id = create_individual(c, "Copies");
  json::array ops;
  for (int i = 0; i < 19; ++i) ops.push_back(json::object{{"op", "copy"}, {"from", ""}, {"path", "/c" + std::to_string(i)}});
  const auto started = std::chrono::steady_clock::now();
  auto r = c.request("PATCH", kIndividuals + "/" + id, json::serialize(ops),
                     {{"Content-Type", "application/json-patch+json"}});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  auto error = check_error_response(r, 413, kPartySpec, "1048576");
  CHECK(str(error, "code") == "RESOURCE_TOO_LARGE");
  auto stored = c.get(kIndividuals + "/" + id);
  CHECK(stored.header("etag") == "\"1\"");
  CHECK(stored.body.size() < 1000);

  // Nesting the document into itself is refused before it passes the parser's depth.
  json::array deepen{json::object{{"op", "copy"}, {"from", ""}, {"path", "/n"}}};
  for (int i = 0; i < 40; ++i) deepen.push_back(json::object{{"op", "copy"}, {"from", "/n"}, {"path", "/n/n"}});
  auto deep = c.request("PATCH", kIndividuals + "/" + id, json::serialize(deepen),
                        {{"Content-Type", "application/json-patch+json"}});
  check_error_response(deep, 400, kPartySpec, "deeper");
  CHECK(c.get(kIndividuals + "/" + id).status == 200);

  // More operations than a document may hold.
  json::array many;
  for (int i = 0; i < 1001; ++i) many.push_back(json::object{{"op", "test"}, {"path", "/id"}, {"value", id}});
  auto refused = c.request("PATCH", kIndividuals + "/" + id, json::serialize(many),
                           {{"Content-Type", "application/json-patch+json"}});
  check_error_response(refused, 400, kPartySpec, "1000 operations");
}

TEST_CASE("resources.max_resource_bytes bounds what POST, merge patch and JSON Patch may store", "[hardening][patch]") {
  TmfdProcess p(TmfdOptions{.extra_yaml = "resources:\n  max_resource_bytes: 2048\n"});
  HttpClient c(p.port());
  auto big = individual("Big", "Body");
  big["note"] = std::string(2100, 'n');
  check_error_response(post_json(c, kIndividuals, big), 413, kPartySpec, "2048");
  auto id = create_individual(c, "Small");
  auto merge = merge_patch(c, kIndividuals, id, json::object{{"note", std::string(2100, 'n')}});
  check_error_response(merge, 413, kPartySpec, "max_resource_bytes");
  auto add = c.request("PATCH", kIndividuals + "/" + id,
                       json::serialize(json::array{json::object{{"op", "add"}, {"path", "/note"}, {"value", std::string(2100, 'n')}}}),
                       {{"Content-Type", "application/json-patch+json"}});
  check_error_response(add, 413, kPartySpec);
  CHECK(c.get(kIndividuals + "/" + id).header("etag") == "\"1\"");
  // Within the limit, changes go through.
  CHECK(merge_patch(c, kIndividuals, id, json::object{{"note", std::string(500, 'n')}}).status == 200);
}

TEST_CASE("long filters are answered: many values in one filter, many filters, and limits past them", "[hardening][query]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto body = individual("Filter", "Many");
  body["nickName"] = "v124";
  REQUIRE(post_json(c, kIndividuals, body).status == 201);
  REQUIRE(post_json(c, kIndividuals, individual("Other", "Many")).status == 201);
  // 125 comma values on a non-indexed attribute (once too many arguments for SQLite).
  std::string values;
  for (int i = 0; i < 125; ++i) values += (i ? "," : "") + std::string("v") + std::to_string(i);
  CHECK(total_count(c, kIndividuals, "nickName=" + values) == 1);
  // 100 filters, indexed and not, AND-ed.
  std::string hundred;
  for (int i = 0; i < 50; ++i) hundred += "familyName=Many&nickName=v124&";
  hundred.pop_back();
  CHECK(total_count(c, kIndividuals, hundred) == 1);
  // Past the limits: 400 naming them.
  std::string thousand;
  for (int i = 0; i < 1000; ++i) thousand += (i ? "&" : "") + std::string("givenName=A");
  check_error_response(c.get(kIndividuals + "?" + thousand), 400, kPartySpec, "100 attribute filters");
  std::string too_many_values;
  for (int i = 0; i < 1001; ++i) too_many_values += (i ? "," : "") + std::to_string(i);
  check_error_response(c.get(kIndividuals + "?nickName=" + too_many_values), 400, kPartySpec, "1000 values");
}

TEST_CASE("small refusals: blank If-Match, charsets, impossible dates, doubled sort signs, hub paging", "[hardening]") {
  TmfdProcess p(TmfdOptions{.extra_yaml = "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n"});
  HttpClient c(p.port());
  auto id = create_individual(c, "Small");
  auto blank = c.request("PATCH", kIndividuals + "/" + id, R"({"givenName":"Z"})",
                         {{"Content-Type", "application/merge-patch+json"}, {"If-Match", ""}});
  check_error_response(blank, 412, kPartySpec, "empty");
  auto blank_delete = c.request("DELETE", kIndividuals + "/" + id, "", {{"If-Match", " "}});
  CHECK(blank_delete.status == 412);
  CHECK(c.get(kIndividuals + "/" + id).header("etag") == "\"1\"");

  for (const char* type : {"application/json; charset=utf-16", "application/json;charset=ISO-8859-1"}) {
    auto r = c.request("POST", kIndividuals, R"({"givenName":"A","familyName":"B"})", {{"Content-Type", type}});
    check_error_response(r, 415, kPartySpec, "charset");
  }
  CHECK(c.request("POST", kIndividuals, R"({"givenName":"A","familyName":"B"})",
                  {{"Content-Type", "application/json; charset=\"UTF-8\""}}).status == 201);
  auto patch_charset = c.request("PATCH", kIndividuals + "/" + id, R"({"givenName":"Z"})",
                                 {{"Content-Type", "application/merge-patch+json; charset=utf-16"}});
  CHECK(patch_charset.status == 415);

  auto feb30 = individual("Feb", "Thirty");
  feb30["birthDate"] = "2020-02-30T00:00:00Z";
  check_error_response(post_json(c, kIndividuals, feb30), 400, kPartySpec, "birthDate");
  auto feb29 = individual("Feb", "Leap");
  feb29["birthDate"] = "2020-02-29T00:00:00Z";
  CHECK(post_json(c, kIndividuals, feb29).status == 201);
  feb29["birthDate"] = "2021-02-29T00:00:00Z";
  CHECK(post_json(c, kIndividuals, feb29).status == 400);

  check_error_response(c.get(kIndividuals + "?sort=--givenName"), 400, kPartySpec, "two signs");
  check_error_response(c.get(kIndividuals + "?sort=-"), 400, kPartySpec);

  const std::string hubs = "/tmf-api/party/v4/hub";
  check_error_response(c.get(hubs + "?limit=abc"), 400, kPartySpec, "limit");
  check_error_response(c.get(hubs + "?status=x"), 400, kPartySpec, "offset and limit");
  for (int i = 0; i < 3; ++i)
    REQUIRE(post_json(c, hubs, json::object{{"callback", "http://127.0.0.1:9/cb" + std::to_string(i)}}).status == 201);
  auto page = c.get(hubs + "?offset=1&limit=1");
  REQUIRE(page.status == 200);
  CHECK(page.json().as_array().size() == 1);
  CHECK(page.header("x-total-count") == "3");
  CHECK(page.header("x-result-count") == "1");
}

TEST_CASE("job URLs with control characters are refused; a failed export says why in plain words", "[hardening][catalog]") {
  TmfdProcess p(catalog_module_options(false, true, false));
  HttpClient c(p.port());
  const std::string jobs = "/tmf-api/productCatalogManagement/v4/exportJob";
  auto nul = c.request("POST", jobs, "{\"url\":\"file://" + p.dir() + "/exp/a\\u0000b.json\"}",
                       {{"Content-Type", "application/json"}});
  check_error_response(nul, 400, "TMF620-ProductCatalog-v4.0.0.swagger.json", "control characters");
  auto missing = post_json(c, jobs, json::object{{"url", "file://" + p.dir() + "/exp/missing/x.json"}});
  REQUIRE(missing.status == 201);
  const std::string job = jobs + "/" + str(missing.json().as_object(), "id");
  REQUIRE(eventually([&] { return str(c.get(job).json().as_object(), "status") == "Failed"; }, std::chrono::seconds(10)));
  const auto log = str(c.get(job).json().as_object(), "errorLog");
  CHECK_THAT(log, Contains("does not exist"));
  CHECK_THAT(log, !Contains("filesystem"));
  CHECK_THAT(log, !Contains(p.dir()));
}

TEST_CASE("a config file that once hung the YAML loader is refused with a syntax error", "[hardening][config]") {
  // Found by fuzz_config: yaml-cpp's LoadAll looped forever, allocating, on a stray ','.
  auto dir = make_temp_dir();
  std::ofstream(dir + "/tmfd.yaml") << ",sto:88raeg}/x\xfb" "b\n";
  auto [rc, out] = run_tmfd("--check-config --config " + dir + "/tmfd.yaml");
  CHECK(rc == 2);
  CHECK_THAT(out, Contains("tmfd.yaml:1: YAML syntax error"));
  remove_temp_dir(dir);
}
