// Catalog import and export, over HTTP against the real tmfd binary and through `tmfd import`:
// importJob and exportJob of TMF620, TMF633 and TMF634 (asynchronous, file:// URLs confined to the
// configured folders, status Not Started -> Running -> Succeeded/Failed, an errorLog (on failure
// only) listing every refused entry, all-or-nothing imports), export documents that re-import into a fresh server,
// the command line importer, and jobs that survive a restart.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "small_disk.hpp"
#include "spec_checks.hpp"
#include "test_configs.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

const std::string kProduct = "/tmf-api/productCatalogManagement/v4";
const std::string kService = "/tmf-api/serviceCatalogManagement/v4";
const std::string kResource = "/tmf-api/resourceCatalog/v4";

// One catalog API: its base path, spec file, and the collections it holds.
struct Api {
  std::string base;
  std::string spec_file;
  std::string domain;
  std::vector<std::pair<std::string, std::string>> collections;  // {collection, @type}
};

const std::vector<Api>& apis() {
  static const std::vector<Api> all = {
      {kProduct, kTmf620, "productCatalog",
       {{"productSpecification", "ProductSpecification"},
        {"productOfferingPrice", "ProductOfferingPrice"},
        {"productOffering", "ProductOffering"},
        {"category", "Category"},
        {"catalog", "Catalog"}}},
      {kService, kTmf633, "serviceCatalog",
       {{"serviceSpecification", "ServiceSpecification"},
        {"serviceCandidate", "ServiceCandidate"},
        {"serviceCategory", "ServiceCategory"},
        {"serviceCatalog", "ServiceCatalog"}}},
      {kResource, kTmf634, "resourceCatalog",
       {{"resourceSpecification", "ResourceSpecification"},
        {"resourceCandidate", "ResourceCandidate"},
        {"resourceCategory", "ResourceCategory"},
        {"resourceCatalog", "ResourceCatalog"}}},
  };
  return all;
}

const Api& api_of_collection(const std::string& collection) {
  for (const auto& a : apis())
    for (const auto& [name, type] : a.collections)
      if (name == collection) return a;
  throw std::runtime_error("unknown collection " + collection);
}

std::string path_of(const std::string& collection) { return api_of_collection(collection).base + "/" + collection; }

// ---------------------------------------------------------------------------------------------
// The tmfd under test: the catalog module with import and export folders inside its temp folder
// ---------------------------------------------------------------------------------------------

TmfdOptions jobs_options(bool import_dir = true, bool export_dir = true, bool demo = false) {
  return catalog_module_options(import_dir, export_dir, demo);
}

// ---------------------------------------------------------------------------------------------
// Helpers: files, HTTP, jobs
// ---------------------------------------------------------------------------------------------

void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path);
  out << text;
  REQUIRE(out.good());
}

// A TMF error answer with `status` (see check_error_response), checked against TMF620.
json::object check_error(const HttpResponse& r, int status, const std::string& mention = {}) {
  return check_error_response(r, status, apis()[0].spec_file, mention);
}

// Milliseconds since the epoch of an ISO 8601 UTC date-time (with or without fractions).
long long instant_ms(const std::string& s) {
  std::tm tm{};
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  REQUIRE(rest != nullptr);
  long long ms = static_cast<long long>(timegm(&tm)) * 1000;
  if (*rest == '.') {
    int digits = 0, frac = 0;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest)
      if (digits < 3) frac = frac * 10 + (*rest - '0'), ++digits;
    while (digits++ < 3) frac *= 10;
    ms += frac;
  }
  CHECK(std::string(rest) == "Z");
  return ms;
}

// POSTs a job and checks the answer: 201, Location, status Not Started, creationDate, nothing
// the runner sets, spec-valid. Returns the job.
json::object start_job(HttpClient& c, const Api& api, const char* collection, const std::string& url) {
  auto r = post_json(c, api.base + "/" + collection, {{"url", url}});
  INFO(api.base << "/" << collection << " " << url << ": " << r.body);
  REQUIRE(r.status == 201);
  auto job = as_object(r);
  const std::string id = str(job, "id");
  REQUIRE(!id.empty());
  CHECK(str(job, "href") == api.base + "/" + collection + "/" + id);
  CHECK(r.header("location") == str(job, "href"));
  CHECK(str(job, "url") == url);
  CHECK(str(job, "status") == "Not Started");
  CHECK(!str(job, "creationDate").empty());
  CHECK(!job.contains("completionDate"));
  CHECK(!job.contains("errorLog"));
  check_spec(job, api.spec_file, std::string(collection) == "importJob" ? "ImportJob" : "ExportJob");
  return job;
}

// Polls a job until it is Succeeded or Failed (at most `seconds`); every status seen must be a
// JobStateType, and the finished job is spec-valid with a completionDate not before its creation.
json::object finish(HttpClient& c, const json::object& job, int seconds = 10) {
  const std::string href = str(job, "href");
  const Api* api = nullptr;
  for (const auto& a : apis())
    if (href.rfind(a.base + "/", 0) == 0) api = &a;
  REQUIRE(api);
  const std::set<std::string> states = {"Not Started", "Running", "Succeeded", "Failed"};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  json::object now;
  for (;;) {
    auto r = c.get(href);
    INFO(r.body);
    REQUIRE(r.status == 200);
    now = as_object(r);
    const std::string status = str(now, "status");
    CHECK(states.count(status) == 1);
    if (status == "Succeeded" || status == "Failed") break;
    if (std::chrono::steady_clock::now() > deadline) FAIL("job " << href << " still '" << status << "' after " << seconds << " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  INFO(json::serialize(now));
  check_spec(now, api->spec_file, href.find("/importJob/") != std::string::npos ? "ImportJob" : "ExportJob");
  CHECK(str(now, "id") == str(job, "id"));
  CHECK(str(now, "url") == str(job, "url"));
  CHECK(str(now, "creationDate") == str(job, "creationDate"));
  REQUIRE(!str(now, "completionDate").empty());
  instant_ms(str(now, "completionDate"));  // a date-time in UTC
  // errorLog says why a job failed; a succeeded job has none (TMF620 has no field for a note).
  CHECK(now.contains("errorLog") == (str(now, "status") == "Failed"));
  return now;
}

std::string file_url(const std::string& path) { return "file://" + path; }

// Every entity of the three catalogs, by collection name, keyed by id.
std::map<std::string, std::map<std::string, json::object>> everything(HttpClient& c) {
  std::map<std::string, std::map<std::string, json::object>> out;
  for (const auto& a : apis())
    for (const auto& [collection, type] : a.collections) {
      auto r = c.get(a.base + "/" + collection + "?limit=1000");
      INFO(collection << ": " << r.body);
      REQUIRE(r.status == 200);
      auto& m = out[collection];
      for (const auto& item : as_array(r)) {
        check_spec(item, a.spec_file, type);
        m[str(item.as_object(), "id")] = item.as_object();
      }
    }
  return out;
}

std::size_t total(const std::map<std::string, std::map<std::string, json::object>>& all) {
  std::size_t n = 0;
  for (const auto& [c, m] : all) n += m.size();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Database access
// ---------------------------------------------------------------------------------------------

// Runs one statement on a stopped tmfd's database: the only way to leave a job in the state a
// crash would have left it. Returns the first column of the first row (if any).
std::string sql(const std::string& database, const std::string& statement, bool write = false) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(database.c_str(), &db, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, statement.c_str(), -1, &st, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(db);
    sqlite3_close(db);
    FAIL(statement << ": " << msg);
  }
  std::string first;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    first = t ? t : "";
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  REQUIRE((rc == SQLITE_ROW || rc == SQLITE_DONE));
  return first;
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

// Ten entries across the three APIs; one productOffering without an id (the server assigns it).
const char* kGoodDocument = R"({
  "description": "test catalog",
  "resourceSpecification": [{"id":"rs-1","name":"Router","lifecycleStatus":"Launched",
                             "resourceSpecCharacteristic":[{"name":"serial","minCardinality":1,"maxCardinality":1}]}],
  "resourceCandidate": [{"id":"rc-1","name":"Router","resourceSpecification":{"id":"rs-1","name":"Router"}}],
  "serviceSpecification": [{"id":"ss-1","name":"Access","resourceSpecification":[{"id":"rs-1","name":"Router"}]}],
  "serviceCandidate": [{"id":"sc-1","name":"Access","serviceSpecification":{"id":"ss-1","name":"Access"}}],
  "productSpecification": [{"id":"ps-1","name":"Broadband","serviceSpecification":[{"id":"ss-1","name":"Access"}]}],
  "productOfferingPrice": [{"id":"pop-1","name":"Monthly","priceType":"recurring"}],
  "productOffering": [{"id":"po-1","name":"Broadband 1G","productSpecification":{"id":"ps-1","name":"Broadband"},
                       "productOfferingPrice":[{"id":"pop-1","name":"Monthly"}]},
                      {"name":"Offering without id"}],
  "category": [{"id":"cat-1","name":"Broadband","productOffering":[{"id":"po-1","name":"Broadband 1G"}]}],
  "catalog": [{"id":"catalog-1","name":"Consumer","category":[{"id":"cat-1","name":"Broadband"}]}]
})";
const std::size_t kGoodEntries = 10;

// Entries are numbered in import order (the order of document_collections()); this document is
// written in that order: entry 1 rs-ok, 2 ps-ok, 3 po-ok, 4 po-dangling (missing reference),
// 5 po-nameless (missing name). The reference is found in the second pass, after the missing
// name, yet the errorLog lists entry 4 first.
const char* kBadDocument = R"({
  "resourceSpecification": [{"id":"rs-ok","name":"Fine"}],
  "productSpecification": [{"id":"ps-ok","name":"Fine"}],
  "productOffering": [{"id":"po-ok","name":"Fine","productSpecification":{"id":"ps-ok"}},
                      {"id":"po-dangling","name":"Dangling","productSpecification":{"id":"ps-missing"}},
                      {"id":"po-nameless","description":"has no name"}]
})";

void check_good_document_imported(HttpClient& c) {
  auto all = everything(c);
  CHECK(total(all) == kGoodEntries);
  for (const auto& [collection, id] : std::vector<std::pair<std::string, std::string>>{
           {"resourceSpecification", "rs-1"}, {"resourceCandidate", "rc-1"}, {"serviceSpecification", "ss-1"},
           {"serviceCandidate", "sc-1"}, {"productSpecification", "ps-1"}, {"productOfferingPrice", "pop-1"},
           {"productOffering", "po-1"}, {"category", "cat-1"}, {"catalog", "catalog-1"}}) {
    INFO(collection << " " << id);
    REQUIRE(all[collection].count(id) == 1);
    const auto& o = all[collection][id];
    CHECK(str(o, "href") == path_of(collection) + "/" + id);
    CHECK(str(o, "version") == "1.0");
    CHECK(!str(o, "lastUpdate").empty());
    CHECK(str(o, "lifecycleStatus") == (id == "rs-1" ? "Launched" : "In study"));
  }
  CHECK(total_count(c, path_of("productOffering"), "name=Offering%20without%20id") == 1);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// importJob
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog jobs: an importJob runs asynchronously and imports the whole document", "[catalog][jobs][import]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, kGoodDocument);
  const auto& api = apis()[0];
  auto job = start_job(c, api, "importJob", file_url(file));
  auto done = finish(c, job);
  INFO(json::serialize(done));
  CHECK(str(done, "status") == "Succeeded");
  CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
  check_good_document_imported(c);
  CHECK(total_count(c, api.base + "/importJob", "status=Succeeded") == 1);

  // Every imported entity was announced once, the job's own progress as state changes.
  auto rows = read_outbox(tmfd.database_path());
  std::size_t creates = 0;
  for (const auto& r : rows)
    if (r.resource_type != "importJob") {
      CHECK_THAT(r.event_type, Contains("CreateEvent"));
      ++creates;
    }
  CHECK(creates == kGoodEntries);
  std::vector<std::string> job_events;
  for (const auto& r : read_outbox(tmfd.database_path(), str(job, "id"))) job_events.push_back(r.event_type);
  CHECK(job_events == std::vector<std::string>{"ImportJobCreateEvent", "ImportJobStateChangeEvent",
                                               "ImportJobStateChangeEvent"});
}

// The job's own dates: creationDate is set at POST with milliseconds; a job cannot complete
// before it was created.
TEST_CASE("catalog jobs: a job's completionDate is not before its creationDate", "[catalog][jobs]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, kGoodDocument);
  for (const auto& api : apis()) {
    INFO(api.base);
    auto imp = finish(c, start_job(c, api, "importJob", file_url(file)));
    CHECK(instant_ms(str(imp, "completionDate")) >= instant_ms(str(imp, "creationDate")));
    auto exp = finish(c, start_job(c, api, "exportJob", file_url(tmfd.dir() + "/exp/out.json")));
    CHECK(instant_ms(str(exp, "completionDate")) >= instant_ms(str(exp, "creationDate")));
  }
}

TEST_CASE("catalog jobs: TMF634 job events are the spec's ImportJob and ExportJob events", "[catalog][jobs][events]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, kGoodDocument);
  const auto& api = apis()[2];
  auto imp = finish(c, start_job(c, api, "importJob", file_url(file)));
  auto exp = finish(c, start_job(c, api, "exportJob", file_url(tmfd.dir() + "/exp/out.json")));
  for (const auto& [job, type] : {std::pair{imp, std::string("ImportJob")}, std::pair{exp, std::string("ExportJob")}}) {
    auto rows = read_outbox(tmfd.database_path(), str(job, "id"));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].event_type == type + "CreateEvent");
    CHECK(rows[1].event_type == type + "StateChangeEvent");
    CHECK(rows[2].event_type == type + "StateChangeEvent");
    for (const auto& row : rows) {
      INFO(row.payload);
      CHECK(row.domain == "resourceCatalog");
      auto v = json::parse(row.payload);
      check_spec(v, api.spec_file, row.event_type);
    }
    // The last one carries the finished job.
    auto last = json::parse(rows[2].payload).as_object().at("event").as_object();
    const auto* res = last.if_contains(type == "ImportJob" ? "importJob" : "exportJob");
    REQUIRE(res);
    CHECK(res->as_object() == job);
  }
}

TEST_CASE("catalog jobs: a refused import fails, lists every refused entry in entry order, and imports nothing",
          "[catalog][jobs][import][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/bad.json";
  write_file(file, kBadDocument);
  auto job = start_job(c, apis()[1], "importJob", file_url(file));
  auto done = finish(c, job);
  const std::string log = str(done, "errorLog");
  INFO(log);
  CHECK(str(done, "status") == "Failed");
  CHECK_THAT(log, StartsWith("nothing imported; 2 entries refused:"));
  auto dangling = log.find("entry 4 (productOffering");
  auto nameless = log.find("entry 5 (productOffering");
  REQUIRE(dangling != std::string::npos);
  REQUIRE(nameless != std::string::npos);
  CHECK(dangling < nameless);
  CHECK_THAT(log.substr(dangling, nameless - dangling), Contains("ps-missing"));
  CHECK_THAT(log.substr(nameless), Contains("name"));
  for (const char* fine : {"entry 1 ", "entry 2 ", "entry 3 "}) CHECK_THAT(log, !Contains(fine));

  // Nothing of it exists, and nothing of it was announced.
  for (const auto& [collection, id] : std::vector<std::pair<std::string, std::string>>{
           {"resourceSpecification", "rs-ok"}, {"productSpecification", "ps-ok"}, {"productOffering", "po-ok"},
           {"productOffering", "po-dangling"}, {"productOffering", "po-nameless"}})
    CHECK(c.get(path_of(collection) + "/" + id).status == 404);
  CHECK(total(everything(c)) == 0);
  for (const auto& r : read_outbox(tmfd.database_path())) CHECK(r.resource_type == "importJob");

  // The same document, fixed, imports.
  std::string fixed = kBadDocument;
  fixed.replace(fixed.find("ps-missing"), 10, "ps-ok");
  fixed.replace(fixed.find("\"description\":\"has no name\""), 27, "\"name\":\"Now named\"");
  write_file(tmfd.dir() + "/imp/fixed.json", fixed);
  auto again = finish(c, start_job(c, apis()[1], "importJob", file_url(tmfd.dir() + "/imp/fixed.json")));
  CHECK(str(again, "status") == "Succeeded");
  CHECK(!again.contains("errorLog"));  // success notes are logged, not put in errorLog
  CHECK(total(everything(c)) == 5);
}

TEST_CASE("catalog jobs: an import that clashes with existing entities imports nothing", "[catalog][jobs][import][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, kGoodDocument);
  REQUIRE(str(finish(c, start_job(c, apis()[0], "importJob", file_url(file))), "status") == "Succeeded");
  // Importing it again: every entry with an id exists already; the one without an id alone would
  // be fine, but the import is all or nothing.
  auto again = finish(c, start_job(c, apis()[0], "importJob", file_url(file)));
  CHECK(str(again, "status") == "Failed");
  CHECK_THAT(str(again, "errorLog"), Contains("already exists"));
  CHECK_THAT(str(again, "errorLog"), StartsWith("nothing imported; 9 entries refused:"));
  CHECK(total(everything(c)) == kGoodEntries);
}

TEST_CASE("catalog jobs: import entries may refer to each other in any order", "[catalog][jobs][import]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  // Categories and candidates point at each other; a child category comes before its parent; a
  // product specification bundles one listed after it; an offering and its category both ways.
  const char* doc = R"({
    "resourceCategory": [{"id":"rcat-child","name":"Routers","parentId":"rcat-root","resourceCandidate":[{"id":"rc-1"}]},
                         {"id":"rcat-root","name":"Equipment","isRoot":true,"category":[{"id":"rcat-child"}]}],
    "resourceCandidate": [{"id":"rc-1","name":"Router","category":[{"id":"rcat-child"}],"resourceSpecification":{"id":"rs-1"}}],
    "resourceSpecification": [{"id":"rs-1","name":"Router"}],
    "serviceCategory": [{"id":"scat-1","name":"Connectivity","serviceCandidate":[{"id":"sc-1"}]}],
    "serviceCandidate": [{"id":"sc-1","name":"Access","category":[{"id":"scat-1"}],"serviceSpecification":{"id":"ss-1"}}],
    "serviceSpecification": [{"id":"ss-1","name":"Access","serviceSpecRelationship":[{"id":"ss-2","relationshipType":"dependency"}]},
                             {"id":"ss-2","name":"Line","serviceSpecRelationship":[{"id":"ss-1","relationshipType":"dependency"}]}],
    "category": [{"id":"cat-1","name":"Broadband","productOffering":[{"id":"po-1"}]}],
    "productOffering": [{"id":"po-1","name":"Broadband","category":[{"id":"cat-1"}],"productSpecification":{"id":"ps-1"}}],
    "productSpecification": [{"id":"ps-1","name":"Bundle spec","bundledProductSpecification":[{"id":"ps-2"}]},
                             {"id":"ps-2","name":"Member spec"}]
  })";
  write_file(tmfd.dir() + "/imp/mutual.json", doc);
  auto done = finish(c, start_job(c, apis()[2], "importJob", file_url(tmfd.dir() + "/imp/mutual.json")));
  INFO(str(done, "errorLog"));
  CHECK(str(done, "status") == "Succeeded");
  CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
  auto all = everything(c);
  CHECK(total(all) == 12);
  CHECK(all["resourceCategory"].count("rcat-child") == 1);
  CHECK(all["serviceCandidate"].count("sc-1") == 1);
  // And the references hold from then on.
  CHECK(c.request("DELETE", path_of("resourceCategory") + "/rcat-root").status == 409);
  CHECK(c.request("DELETE", path_of("serviceSpecification") + "/ss-2").status == 409);
}

TEST_CASE("catalog jobs: an import fails for a missing, malformed or unknown document", "[catalog][jobs][import][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const auto& api = apis()[0];
  write_file(tmfd.dir() + "/imp/not-json.json", "{\"productOffering\": [");
  write_file(tmfd.dir() + "/imp/unknown.json", R"({"productOfferings":[{"name":"typo"}]})");
  write_file(tmfd.dir() + "/imp/not-array.json", R"({"productOffering":{"name":"one"}})");
  write_file(tmfd.dir() + "/imp/array.json", R"([{"name":"x"}])");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"missing.json", "missing.json"},
      {"not-json.json", ""},
      {"unknown.json", "productOfferings"},
      {"not-array.json", "productOffering"},
      {"array.json", ""}};
  for (const auto& [name, mention] : cases) {
    INFO(name);
    auto done = finish(c, start_job(c, api, "importJob", file_url(tmfd.dir() + "/imp/" + name)));
    CHECK(str(done, "status") == "Failed");
    CHECK(!str(done, "errorLog").empty());
    if (!mention.empty()) CHECK_THAT(str(done, "errorLog"), Contains(mention));
  }
  CHECK(total(everything(c)) == 0);
  CHECK(total_count(c, api.base + "/importJob", "status=Failed") == cases.size());
}

TEST_CASE("catalog jobs: a url outside the import directory is 400 at POST", "[catalog][jobs][import][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string dir = tmfd.dir();
  write_file(dir + "/outside.json", kGoodDocument);
  write_file(dir + "/exp/in-export-dir.json", kGoodDocument);
  write_file(dir + "/imp-evil/catalog.json", kGoodDocument);
  fs::create_directories(dir + "/imp");
  fs::create_symlink(dir + "/outside.json", dir + "/imp/link.json");
  fs::create_directory_symlink(dir, dir + "/imp/up");
  const std::vector<std::string> urls = {
      "file:///etc/hosts",
      file_url(dir + "/outside.json"),
      file_url(dir + "/imp/../outside.json"),
      file_url(dir + "/imp/../../" + fs::path(dir).filename().string() + "/outside.json"),
      file_url(dir + "/exp/in-export-dir.json"),
      file_url(dir + "/imp-evil/catalog.json"),  // shares the folder name as a prefix
      file_url(dir + "/imp/link.json"),          // a symbolic link leading out
      file_url(dir + "/imp/up/outside.json"),    // a linked folder leading out
      "file://imp/catalog.json",                 // not an absolute path
  };
  for (const auto& api : apis())
    for (const auto& url : urls) {
      INFO(api.base << " " << url);
      check_error(post_json(c, api.base + "/importJob", {{"url", url}}), 400, "url");
    }
  for (const auto& api : apis()) CHECK(total_count(c, api.base + "/importJob") == 0);
  CHECK(read_outbox(tmfd.database_path()).empty());
  CHECK(total(everything(c)) == 0);
}

TEST_CASE("catalog jobs: a url that is not a file:// URL is 400", "[catalog][jobs][import][export][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string inside = tmfd.dir() + "/imp/catalog.json";
  write_file(inside, kGoodDocument);
  for (const auto& api : apis())
    for (const char* collection : {"importJob", "exportJob"}) {
      for (const std::string& url : std::vector<std::string>{"http://127.0.0.1/catalog.json", "https://example.com" + inside,
                                                             "ftp://example.com/catalog.json", inside, "FILE://" + inside,
                                                             "file:" + inside}) {
        INFO(api.base << "/" << collection << " " << url);
        check_error(post_json(c, api.base + "/" + collection, {{"url", url}}), 400, "url");
      }
      check_error(post_json(c, api.base + "/" + collection, {{"url", ""}}), 400, "url");
      check_error(post_json(c, api.base + "/" + collection, {{"url", 42}}), 400, "url");
      check_error(post_json(c, api.base + "/" + collection, json::object{}), 400, "url");
      CHECK(total_count(c, api.base + "/" + collection) == 0);
    }
  CHECK(read_outbox(tmfd.database_path()).empty());
}

TEST_CASE("catalog jobs: without import_directory or export_directory file jobs are 400", "[catalog][jobs][errors]") {
  SECTION("no import_directory") {
    TmfdProcess tmfd(jobs_options(false, true));
    HttpClient c(tmfd.port());
    for (const auto& api : apis()) {
      INFO(api.base);
      check_error(post_json(c, api.base + "/importJob", {{"url", file_url(tmfd.dir() + "/imp/catalog.json")}}), 400,
                  "import_directory");
      CHECK(total_count(c, api.base + "/importJob") == 0);
      // Export still works.
      auto done = finish(c, start_job(c, api, "exportJob", file_url(tmfd.dir() + "/exp/out.json")));
      CHECK(str(done, "status") == "Succeeded");
    }
  }
  SECTION("no export_directory") {
    TmfdProcess tmfd(jobs_options(true, false));
    HttpClient c(tmfd.port());
    for (const auto& api : apis()) {
      INFO(api.base);
      check_error(post_json(c, api.base + "/exportJob", {{"url", file_url(tmfd.dir() + "/exp/out.json")}}), 400,
                  "export_directory");
      CHECK(total_count(c, api.base + "/exportJob") == 0);
    }
    CHECK(!fs::exists(tmfd.dir() + "/exp/out.json"));
  }
}

TEST_CASE("catalog jobs: status, errorLog and completionDate are the server's on POST", "[catalog][jobs][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, kGoodDocument);
  for (const auto& api : apis())
    for (const char* collection : {"importJob", "exportJob"}) {
      const std::string url =
          std::string(collection) == "importJob" ? file_url(file) : file_url(tmfd.dir() + "/exp/out.json");
      INFO(api.base << "/" << collection);
      for (const char* status : {"Running", "Succeeded", "Failed"})
        check_error(post_json(c, api.base + "/" + collection, {{"url", url}, {"status", status}}), 400, "status");
      check_error(post_json(c, api.base + "/" + collection, {{"url", url}, {"status", "Done"}}), 400, "status");
      check_error(post_json(c, api.base + "/" + collection, {{"url", url}, {"errorLog", "all fine"}}), 400, "errorLog");
      check_error(post_json(c, api.base + "/" + collection, {{"url", url}, {"completionDate", "2024-01-01T00:00:00Z"}}),
                  400, "completionDate");
      check_error(post_json(c, api.base + "/" + collection, {{"url", url}, {"contentType", "text/csv"}}), 400,
                  "contentType");
      CHECK(total_count(c, api.base + "/" + collection) == 0);
    }
  CHECK(read_outbox(tmfd.database_path()).empty());
  CHECK(total(everything(c)) == 0);
  // contentType application/json is the document format, and accepted.
  auto r = post_json(c, kProduct + "/importJob", {{"url", file_url(file)}, {"contentType", "application/json"}});
  CHECK(r.status == 201);
}

TEST_CASE("catalog jobs: importJob and exportJob have no PATCH (405 with Allow)", "[catalog][jobs][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, "{}");
  for (const auto& api : apis())
    for (const char* collection : {"importJob", "exportJob"}) {
      INFO(api.base << "/" << collection);
      const std::string url =
          std::string(collection) == "importJob" ? file_url(file) : file_url(tmfd.dir() + "/exp/out.json");
      auto job = finish(c, start_job(c, api, collection, url));
      CHECK(str(job, "status") == "Succeeded");
      const std::vector<std::pair<std::string, std::string>> patches = {
          {"application/merge-patch+json", R"({"status":"Failed"})"},
          {"application/json-patch+json", R"([{"op":"replace","path":"/status","value":"Failed"}])"}};
      for (const auto& [content_type, patch_body] : patches) {
        auto r = c.request("PATCH", str(job, "href"), patch_body, {{"Content-Type", content_type}});
        INFO(r.body);
        CHECK(r.status == 405);
        const std::string allow = r.header("allow");
        CHECK_THAT(allow, Contains("GET"));
        CHECK_THAT(allow, Contains("DELETE"));
        CHECK_THAT(allow, !Contains("PATCH"));
      }
      auto after = c.get(str(job, "href"));
      CHECK(as_object(after) == job);
      CHECK(after.header("etag") == "\"3\"");
      // A finished job may be deleted.
      CHECK(c.request("DELETE", str(job, "href")).status == 204);
      CHECK(c.get(str(job, "href")).status == 404);
    }
}

TEST_CASE("catalog jobs: each of the three APIs has its own importJob and exportJob", "[catalog][jobs]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  const std::vector<std::string> documents = {
      R"({"productSpecification":[{"id":"ps-a","name":"From TMF620"}]})",
      R"({"serviceSpecification":[{"id":"ss-a","name":"From TMF633"}]})",
      R"({"resourceSpecification":[{"id":"rs-a","name":"From TMF634"}]})"};
  std::vector<json::object> jobs;
  for (std::size_t i = 0; i < apis().size(); ++i) {
    const std::string file = tmfd.dir() + "/imp/doc" + std::to_string(i) + ".json";
    write_file(file, documents[i]);
    jobs.push_back(start_job(c, apis()[i], "importJob", file_url(file)));
  }
  for (const auto& job : jobs) {
    auto done = finish(c, job);
    CHECK(str(done, "status") == "Succeeded");
    CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
  }
  CHECK(c.get(path_of("productSpecification") + "/ps-a").status == 200);
  CHECK(c.get(path_of("serviceSpecification") + "/ss-a").status == 200);
  CHECK(c.get(path_of("resourceSpecification") + "/rs-a").status == 200);
  for (std::size_t i = 0; i < apis().size(); ++i) {
    INFO(apis()[i].base);
    auto list = as_array(c.get(apis()[i].base + "/importJob"));
    REQUIRE(list.size() == 1);
    CHECK(str(list[0].as_object(), "id") == str(jobs[i], "id"));
    check_spec(list[0], apis()[i].spec_file, "ImportJob");
    // Each API's exportJob exports all three catalogs.
    const std::string out = tmfd.dir() + "/exp/out" + std::to_string(i) + ".json";
    auto done = finish(c, start_job(c, apis()[i], "exportJob", file_url(out)));
    CHECK(str(done, "status") == "Succeeded");
    CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
    CHECK(total_count(c, apis()[i].base + "/exportJob") == 1);
  }
}

// ---------------------------------------------------------------------------------------------
// exportJob
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog jobs: an export holds every entity and re-imports into a fresh tmfd", "[catalog][jobs][export]") {
  TmfdProcess first(jobs_options(true, true, true));
  HttpClient c(first.port());
  // The demo catalog plus entities in other states, and one of each kind the demo lacks.
  REQUIRE(post_json(c, path_of("productOffering"), {{"name", "Draft offering"}}).status == 201);
  REQUIRE(c.request("PATCH", path_of("productOffering") + "/po-static-ip-addon", R"({"lifecycleStatus":"Retired"})",
                    {{"Content-Type", "application/merge-patch+json"}})
              .status == 200);
  REQUIRE(post_json(c, path_of("category"), {{"name", "Sub"}, {"parentId", "cat-broadband"}}).status == 201);
  auto before = everything(c);
  const std::size_t n = total(before);
  REQUIRE(n > 30);

  const std::string out = first.dir() + "/exp/catalog.json";
  auto done = finish(c, start_job(c, apis()[1], "exportJob", file_url(out)));
  INFO(json::serialize(done));
  REQUIRE(str(done, "status") == "Succeeded");
  CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
  CHECK(!fs::exists(out + ".partial"));

  // The document: one array per collection holding exactly what the API serves.
  json::value doc;
  REQUIRE_NOTHROW(doc = json::parse(read_text_file(out)));
  REQUIRE(doc.is_object());
  for (const auto& kv : doc.as_object()) {
    INFO(kv.key());
    CHECK(before.count(std::string(kv.key())) == 1);
    REQUIRE(kv.value().is_array());
  }
  for (const auto& [collection, entities] : before) {
    INFO(collection);
    const auto* list = doc.as_object().if_contains(collection);
    if (entities.empty()) {
      CHECK((!list || list->as_array().empty()));
      continue;
    }
    REQUIRE(list);
    std::map<std::string, json::object> exported;
    for (const auto& item : list->as_array()) exported[str(item.as_object(), "id")] = item.as_object();
    CHECK(exported == entities);
  }

  // Into a second tmfd, through its own import folder.
  TmfdProcess second(jobs_options());
  HttpClient c2(second.port());
  write_file(second.dir() + "/imp/catalog.json", read_text_file(out));
  auto imported = finish(c2, start_job(c2, apis()[2], "importJob", file_url(second.dir() + "/imp/catalog.json")));
  INFO(str(imported, "errorLog"));
  CHECK(str(imported, "status") == "Succeeded");
  CHECK(!imported.contains("errorLog"));  // success notes are logged, not put in errorLog
  auto after = everything(c2);
  CHECK(total(after) == n);
  // Identical but for lastUpdate, which the importing server sets.
  for (const auto& [collection, entities] : before) {
    INFO(collection);
    REQUIRE(after[collection].size() == entities.size());
    for (const auto& [id, o] : entities) {
      INFO(id);
      REQUIRE(after[collection].count(id) == 1);
      auto a = after[collection][id];
      auto b = o;
      a.erase("lastUpdate");
      b.erase("lastUpdate");
      CHECK(a == b);
    }
  }
  CHECK(str(after["productOffering"]["po-static-ip-addon"], "lifecycleStatus") == "Retired");
}

// catalog::export_document() pages through each collection with limit=1000 and stops at the
// first page shorter than 1000; resources.max_page_size may make every page shorter.
TEST_CASE("catalog jobs: an export holds every entity whatever resources.max_page_size is", "[catalog][jobs][export]") {
  TmfdOptions options = jobs_options();
  options.full_yaml += "resources:\n  max_page_size: 10\n";
  TmfdProcess tmfd(options);
  HttpClient c(tmfd.port());
  const std::size_t n = 25;
  std::string doc = "{\"resourceSpecification\":[";
  for (std::size_t i = 0; i < n; ++i)
    doc += (i ? "," : "") + std::string("{\"id\":\"rs-") + std::to_string(i) + "\",\"name\":\"spec\"}";
  doc += "]}";
  write_file(tmfd.dir() + "/imp/doc.json", doc);
  REQUIRE(str(finish(c, start_job(c, apis()[2], "importJob", file_url(tmfd.dir() + "/imp/doc.json"))), "status") ==
          "Succeeded");
  CHECK(total_count(c, path_of("resourceSpecification")) == n);

  const std::string out = tmfd.dir() + "/exp/out.json";
  auto done = finish(c, start_job(c, apis()[2], "exportJob", file_url(out)));
  CHECK(str(done, "status") == "Succeeded");
  CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
  auto exported = json::parse(read_text_file(out));
  REQUIRE(exported.as_object().contains("resourceSpecification"));
  CHECK(exported.at("resourceSpecification").as_array().size() == n);
}

TEST_CASE("catalog jobs: an export url outside the export directory is 400", "[catalog][jobs][export][errors]") {
  TmfdProcess tmfd(jobs_options());
  HttpClient c(tmfd.port());
  for (const auto& api : apis())
    for (const std::string& url : {file_url(tmfd.dir() + "/out.json"), file_url(tmfd.dir() + "/imp/out.json"),
                                  file_url(tmfd.dir() + "/exp/../out.json"), std::string("file:///tmp/out.json")}) {
      INFO(api.base << " " << url);
      check_error(post_json(c, api.base + "/exportJob", {{"url", url}}), 400, "url");
    }
  CHECK(!fs::exists(tmfd.dir() + "/out.json"));
  CHECK(!fs::exists(tmfd.dir() + "/imp/out.json"));
}

// The export checks that the whole document reached the disk before it reports success: on a
// real disk that is full (a small tmpfs over the export folder), the job fails saying so, leaves
// no partial file, and leaves an earlier export at the same name as it was.
TEST_CASE("catalog jobs: an export to a full disk fails, leaves nothing half-written, and works once there is room",
          "[catalog][jobs][export][errors][faults]") {
  if (!SmallDisk::can_mount()) {
    WARN("needs root to mount a small tmpfs (CI runs as root): skipped");
    return;
  }
  TmfdProcess tmfd(jobs_options(true, true, true));
  HttpClient c(tmfd.port());
  SmallDisk disk(tmfd.dir() + "/exp", 1024 * 1024);
  REQUIRE(disk.mounted());

  // A first export while there is room: it is the document the failed export must not damage.
  const std::string out = disk.dir() + "/catalog.json";
  REQUIRE(str(finish(c, start_job(c, apis()[0], "exportJob", file_url(out))), "status") == "Succeeded");
  const std::string first = read_text_file(out);
  REQUIRE(first.size() > 8000);  // the demo catalog: a few pages of the disk
  REQUIRE_NOTHROW(json::parse(first));

  // Ballast leaves less room than half a document.
  const std::string ballast = disk.dir() + "/ballast";
  {
    std::ofstream fill(ballast, std::ios::binary);
    fill << std::string(disk.free_bytes() - first.size() / 2, 'b');
  }
  INFO("free after the ballast: " << disk.free_bytes() << " bytes");
  REQUIRE(disk.free_bytes() < first.size());

  for (const std::string& name : {std::string("catalog.json"), std::string("other.json")}) {
    INFO(name);
    auto failed = finish(c, start_job(c, apis()[1], "exportJob", file_url(disk.dir() + "/" + name)));
    CHECK(str(failed, "status") == "Failed");
    CHECK_THAT(str(failed, "errorLog"), Contains("could not write all of '" + name + "'") && Contains("disk is full"));
    CHECK(!fs::exists(disk.dir() + "/" + name + ".partial"));
  }
  CHECK(read_text_file(out) == first);  // the earlier export, whole
  CHECK(!fs::exists(disk.dir() + "/other.json"));

  // Room again: the same export succeeds, so it was the disk that failed it.
  fs::remove(ballast);
  REQUIRE(str(finish(c, start_job(c, apis()[2], "exportJob", file_url(disk.dir() + "/other.json"))), "status") ==
          "Succeeded");
  CHECK(json::parse(read_text_file(disk.dir() + "/other.json")) == json::parse(first));
}

// ---------------------------------------------------------------------------------------------
// tmfd import (the command line)
// ---------------------------------------------------------------------------------------------

namespace {

// A folder with a config for the catalog module (no server is started by `tmfd import`).
struct CliFolder {
  std::string dir = tmfd::test::make_temp_dir();
  std::string config = dir + "/tmfd.yaml";
  CliFolder() { write_file(config, catalog_yaml(dir, false, false)); }
  ~CliFolder() { tmfd::test::remove_temp_dir(dir); }
  std::pair<int, std::string> import(const std::string& file) const {
    return tmfd::test::run_tmfd("--config '" + config + "' import '" + file + "'");
  }
  // A server on the same database, to see what the import left.
  TmfdOptions server() const {
    TmfdOptions o;
    o.full_yaml = catalog_yaml(dir, false, false);
    return o;
  }
};

} // namespace

TEST_CASE("catalog jobs: tmfd import loads a document and exits 0", "[catalog][jobs][cli]") {
  CliFolder f;
  write_file(f.dir + "/catalog.json", kGoodDocument);
  auto [rc, out] = f.import(f.dir + "/catalog.json");
  INFO(out);
  CHECK(rc == 0);
  CHECK_THAT(out, Contains(std::to_string(kGoodEntries) + " resources imported"));
  TmfdProcess tmfd(f.server());
  HttpClient c(tmfd.port());
  check_good_document_imported(c);
  // Importing the same document again is refused as a whole (the ids exist).
  tmfd.stop();
  auto [rc2, out2] = f.import(f.dir + "/catalog.json");
  INFO(out2);
  CHECK(rc2 == 1);
  CHECK_THAT(out2, Contains("already exists"));
}

TEST_CASE("catalog jobs: tmfd import of a refused document exits 1, lists the entries and imports nothing",
          "[catalog][jobs][cli][errors]") {
  CliFolder f;
  write_file(f.dir + "/bad.json", kBadDocument);
  auto [rc, out] = f.import(f.dir + "/bad.json");
  INFO(out);
  CHECK(rc == 1);
  CHECK_THAT(out, Contains("nothing imported"));
  auto dangling = out.find("entry 4 (productOffering");
  auto nameless = out.find("entry 5 (productOffering");
  REQUIRE(dangling != std::string::npos);
  REQUIRE(nameless != std::string::npos);
  CHECK(dangling < nameless);
  CHECK_THAT(out, Contains("ps-missing"));
  CHECK_THAT(out, !Contains("resources imported"));
  TmfdProcess tmfd(f.server());
  HttpClient c(tmfd.port());
  CHECK(total(everything(c)) == 0);
  CHECK(read_outbox(f.dir + "/tmfd.db").empty());
}

TEST_CASE("catalog jobs: tmfd import of an unreadable or invalid document exits 2", "[catalog][jobs][cli][errors]") {
  CliFolder f;
  write_file(f.dir + "/unknown.json", R"({"resourceSpecification":[{"name":"ok"}],"productOfferings":[{"name":"typo"}]})");
  write_file(f.dir + "/not-json.json", "{\"productOffering\": [");
  write_file(f.dir + "/not-array.json", R"({"productOffering":{"name":"one"}})");
  write_file(f.dir + "/item.json", R"({"productOffering":["po-1"]})");
  const std::vector<std::pair<std::string, std::string>> cases = {{"unknown.json", "productOfferings"},
                                                                  {"missing.json", "missing.json"},
                                                                  {"not-json.json", "not-json.json"},
                                                                  {"not-array.json", "productOffering"},
                                                                  {"item.json", "productOffering[0]"}};
  for (const auto& [name, mention] : cases) {
    auto [rc, out] = f.import(f.dir + "/" + name);
    INFO(name << ": " << out);
    CHECK(rc == 2);
    CHECK_THAT(out, Contains(mention));
    CHECK_THAT(out, !Contains("resources imported"));
  }
  TmfdProcess tmfd(f.server());
  HttpClient c(tmfd.port());
  CHECK(total(everything(c)) == 0);
}

// ---------------------------------------------------------------------------------------------
// Jobs across a restart
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog jobs: a job posted right before a stop completes after the restart", "[catalog][jobs][restart]") {
  TmfdProcess tmfd(jobs_options());
  const std::string file = tmfd.dir() + "/imp/catalog.json";
  write_file(file, kGoodDocument);
  json::object job;
  {
    HttpClient c(tmfd.port());
    job = start_job(c, apis()[0], "importJob", file_url(file));
  }
  REQUIRE(tmfd.stop() == 0);
  // Whether the job ran before the stop depends on timing; either way it must end Succeeded once.
  const std::string left = sql(tmfd.database_path(),
                               "SELECT json_extract(body, '$.status') FROM r_productCatalog_importJob WHERE id = '" +
                                   str(job, "id") + "'");
  WARN("status left in the database by the stop: " << left);
  tmfd.restart();
  HttpClient c(tmfd.port());
  auto done = finish(c, job);
  INFO(json::serialize(done));
  CHECK(str(done, "status") == "Succeeded");
  check_good_document_imported(c);
}

TEST_CASE("catalog jobs: jobs left Not Started or Running in the database are run at the next start",
          "[catalog][jobs][restart]") {
  TmfdProcess tmfd(jobs_options());
  write_file(tmfd.dir() + "/imp/a.json", R"({"resourceSpecification":[{"id":"rs-a","name":"A"}]})");
  write_file(tmfd.dir() + "/imp/b.json", R"({"serviceSpecification":[{"id":"ss-b","name":"B"}]})");
  REQUIRE(tmfd.stop() == 0);
  // What a crash between the POST and the job's run leaves behind (written while tmfd is down).
  auto job_row = [&](const std::string& table, const std::string& base, const std::string& id,
                     const std::string& file, const std::string& status) {
    json::object body{{"id", id},
                      {"href", base + "/importJob/" + id},
                      {"@type", "ImportJob"},
                      {"url", file_url(tmfd.dir() + "/imp/" + file)},
                      {"creationDate", "2024-01-01T00:00:00.000Z"},
                      {"status", status}};
    sql(tmfd.database_path(),
        "INSERT INTO " + table + "(id, version, body) VALUES ('" + id + "', 1, '" + json::serialize(body) + "')", true);
  };
  job_row("r_resourceCatalog_importJob", kResource, "job-not-started", "a.json", "Not Started");
  job_row("r_serviceCatalog_importJob", kService, "job-running", "b.json", "Running");
  tmfd.restart();
  HttpClient c(tmfd.port());
  for (const auto& [path, id] : {std::pair{kResource, std::string("job-not-started")},
                                 std::pair{kService, std::string("job-running")}}) {
    INFO(id);
    auto r = c.get(path + "/importJob/" + id);
    REQUIRE(r.status == 200);
    auto done = finish(c, as_object(r));
    CHECK(str(done, "status") == "Succeeded");
    CHECK(!done.contains("errorLog"));  // success notes are logged, not put in errorLog
  }
  CHECK(c.get(path_of("resourceSpecification") + "/rs-a").status == 200);
  CHECK(c.get(path_of("serviceSpecification") + "/ss-b").status == 200);
}

// A stop that lands while an import is being written: the writer commits the import on its way
// down, but the job's final status can no longer be recorded, so it is left "Running"; the next
// start runs it again. The second run must not change the outcome: the job should end Succeeded
// with the document imported exactly once.
TEST_CASE("catalog jobs: an import committed during shutdown is not run a second time after the restart",
          "[catalog][jobs][restart]") {
  TmfdProcess tmfd(jobs_options());
  const std::size_t n = 20000;
  {
    std::string doc = "{\"resourceSpecification\":[";
    for (std::size_t i = 0; i < n; ++i)
      doc += (i ? "," : "") + std::string("{\"id\":\"rs-") + std::to_string(i) + "\",\"name\":\"spec " +
             std::to_string(i) + "\"}";
    doc += "]}";
    write_file(tmfd.dir() + "/imp/big.json", doc);
  }
  json::object job;
  {
    HttpClient c(tmfd.port());
    job = start_job(c, apis()[2], "importJob", file_url(tmfd.dir() + "/imp/big.json"));
  }
  // Stop once the worker has read the document and handed the import to the writer (it logs so
  // right before), not after some time that a slow machine may not have reached.
  REQUIRE(eventually([&] { return tmfd.log_text().find("import handed to the writer") != std::string::npos; },
                     std::chrono::seconds(30)));
  REQUIRE(tmfd.stop() == 0);
  const std::string left = sql(tmfd.database_path(),
                               "SELECT json_extract(body, '$.status') FROM r_resourceCatalog_importJob WHERE id = '" +
                                   str(job, "id") + "'");
  const std::string stored = sql(tmfd.database_path(), "SELECT count(*) FROM r_resourceCatalog_resourceSpecification");
  WARN("after the stop: job '" << left << "', " << stored << " specifications stored");
  tmfd.restart();
  HttpClient c(tmfd.port());
  auto done = finish(c, job, 60);
  INFO(str(done, "errorLog").substr(0, 300));
  CHECK(str(done, "status") == "Succeeded");
  CHECK(total_count(c, path_of("resourceSpecification")) == n);
}
