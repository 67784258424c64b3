// What tmfd says about itself: GET / (the index of modules and APIs), GET {base}/openapi.json
// (an OpenAPI 3 document per API, generated from the declared kinds, checked here for structure
// and against real responses), `tmfd --version` and the tmfd_build_info metric.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "spec_validator.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;
using Catch::Matchers::Contains;

namespace {

TmfdOptions all_modules() {
  TmfdOptions o;
  o.full_yaml = TmfdProcess::default_yaml("$DIR", true) +
                "  catalog:\n    enabled: true\n    demo_catalog: " TMFD_SOURCE_DIR "/config/demo-catalog.json\n"
                "  event:\n    enabled: true\n";
  return o;
}

// Every "$ref" in `v`, with where it was found.
void collect_refs(const json::value& v, const std::string& where, std::vector<std::pair<std::string, std::string>>& out) {
  if (const auto* o = v.if_object()) {
    for (const auto& m : *o) {
      if (m.key() == "$ref" && m.value().is_string()) out.emplace_back(where, std::string(m.value().get_string()));
      collect_refs(m.value(), where + "." + std::string(m.key()), out);
    }
  } else if (const auto* a = v.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) collect_refs((*a)[i], where + "[" + std::to_string(i) + "]", out);
  }
}

// The structural rules of OpenAPI 3.0 that a tool reading the document relies on.
void check_openapi_structure(const json::object& doc, const std::string& base_path) {
  INFO(base_path);
  CHECK(str(doc, "openapi").rfind("3.0.", 0) == 0);
  const auto& info = doc.at("info").as_object();
  CHECK_FALSE(str(info, "title").empty());
  CHECK_FALSE(str(info, "version").empty());
  REQUIRE(doc.at("servers").as_array().size() == 1);
  CHECK(str(doc.at("servers").as_array()[0].as_object(), "url") == base_path);
  const auto& schemas = doc.at("components").as_object().at("schemas").as_object();
  const auto& paths = doc.at("paths").as_object();
  REQUIRE_FALSE(paths.empty());
  static const std::set<std::string> methods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<std::string> operation_ids;
  for (const auto& p : paths) {
    INFO(p.key());
    CHECK(std::string(p.key()).rfind('/', 0) == 0);
    const auto& item = p.value().as_object();
    const bool templated = std::string(p.key()).find("{id}") != std::string::npos;
    bool declares_id = false;
    if (const auto* params = item.if_contains("parameters"))
      for (const auto& param : params->as_array())
        declares_id = declares_id || (str(param.as_object(), "name") == "id" && str(param.as_object(), "in") == "path" &&
                                      param.as_object().at("required").as_bool());
    CHECK(declares_id == templated);
    for (const auto& op : item) {
      if (op.key() == "parameters") continue;
      REQUIRE(methods.count(std::string(op.key())) == 1);
      const auto& operation = op.value().as_object();
      CHECK(operation_ids.insert(str(operation, "operationId")).second);  // unique
      const auto& responses = operation.at("responses").as_object();
      REQUIRE_FALSE(responses.empty());
      for (const auto& r : responses) CHECK_FALSE(str(r.value().as_object(), "description").empty());
    }
  }
  std::vector<std::pair<std::string, std::string>> refs;
  collect_refs(doc, "$", refs);
  CHECK_FALSE(refs.empty());
  for (const auto& [where, ref] : refs) {
    INFO(where << ": " << ref);
    REQUIRE(ref.rfind("#/components/schemas/", 0) == 0);
    CHECK(schemas.contains(ref.substr(21)));
  }
}

} // namespace

TEST_CASE("GET / lists the version, the loaded modules and every API with working links", "[openapi][index]") {
  TmfdProcess p(all_modules());
  HttpClient c(p.port());
  auto r = c.get("/");
  REQUIRE(r.status == 200);
  const auto index = r.json().as_object();
  CHECK(str(index, "name") == "tmfd");
  CHECK_FALSE(str(index, "version").empty());
  CHECK_FALSE(str(index, "revision").empty());
  std::set<std::string> modules;
  for (const auto& m : index.at("modules").as_array()) modules.insert(str(m.as_object(), "name"));
  CHECK(modules == std::set<std::string>{"party", "catalog", "event"});
  std::set<std::string> bases;
  for (const auto& a : index.at("apis").as_array()) {
    const auto& api = a.as_object();
    bases.insert(str(api, "basePath"));
    CHECK(str(api, "version") == "v4");
    REQUIRE_FALSE(api.at("collections").as_array().empty());
    CHECK(c.get(str(api, "openapi")).status == 200);
    CHECK(c.get(str(api, "hub")).status == 200);
    const std::string first = std::string(api.at("collections").as_array()[0].as_string());
    CHECK(c.get(str(api, "basePath") + "/" + first + "?limit=1").status == 200);
  }
  for (const char* base : {"/tmf-api/party/v4", "/tmf-api/productCatalogManagement/v4", "/tmf-api/event/v4",
                           "/tmf-api/customerManagement/v4", "/tmf-api/accountManagement/v4"})
    CHECK(bases.count(base) == 1);
}

TEST_CASE("each API's OpenAPI 3 document is well formed and matches what tmfd really serves", "[openapi]") {
  TmfdProcess p(all_modules());
  HttpClient c(p.port());
  REQUIRE(post_json(c, kIndividuals, individual("Open", "Api")).status == 201);
  const auto index = c.get("/").json();
  for (const auto& a : index.as_object().at("apis").as_array()) {
    const std::string base = str(a.as_object(), "basePath");
    auto r = c.get(base + "/openapi.json");
    REQUIRE(r.status == 200);
    const auto doc = r.json();
    check_openapi_structure(doc.as_object(), base);
    const auto validator = SpecValidator::from_openapi(doc);
    // Every documented GET of a collection answers, and what it returns fits the schema of the
    // resource the document names for it.
    for (const auto& path : doc.as_object().at("paths").as_object()) {
      const std::string template_path(path.key());
      if (template_path.find('{') != std::string::npos || template_path == "/hub") continue;
      const auto& item = path.value().as_object();
      if (!item.contains("get")) continue;
      const auto& items = item.at("get").as_object().at("responses").as_object().at("200").as_object()
                              .at("content").as_object().at("application/json").as_object().at("schema")
                              .as_object().at("items").as_object();
      const std::string schema = std::string(items.at("$ref").as_string()).substr(21);
      auto list = c.get(base + template_path + "?limit=20");
      INFO(base << template_path << ": " << list.body.substr(0, 300));
      REQUIRE(list.status == 200);
      const auto listed = list.json();
      for (const auto& resource : listed.as_array()) {
        auto problems = validator.validate(resource, schema);
        INFO(json::serialize(resource).substr(0, 300));
        for (const auto& problem : problems) INFO(problem);
        CHECK(problems.empty());
        // And the resource is readable where the document says single resources are.
        if (doc.as_object().at("paths").as_object().contains(template_path + "/{id}"))
          CHECK(c.get(base + template_path + "/" + str(resource.as_object(), "id")).status == 200);
      }
    }
  }
  // A few facts of the party document: the lifecycle's states, mandatory attributes, the hub.
  auto party = c.get("/tmf-api/party/v4/openapi.json").json().as_object();
  const auto& schemas = party.at("components").as_object().at("schemas").as_object();
  const auto& individual = schemas.at("Individual").as_object();
  const auto& status = individual.at("properties").as_object().at("status").as_object();
  CHECK(status.at("enum").as_array().size() >= 3);
  const auto& create_required = schemas.at("Individual_Create").as_object().at("required").as_array();
  CHECK(std::find(create_required.begin(), create_required.end(), json::value("familyName")) != create_required.end());
  CHECK(party.at("paths").as_object().contains("/hub"));
  CHECK(party.at("paths").as_object().at("/individual/{id}").as_object().contains("patch"));
}

TEST_CASE("tmfd --version and the tmfd_build_info metric name the same version and revision", "[openapi][index]") {
  auto [rc, out] = run_tmfd("--version");
  REQUIRE(rc == 0);
  TmfdProcess p;
  HttpClient c(p.port());
  const auto index = c.get("/").json().as_object();
  const std::string version = str(index, "version");
  const std::string revision = str(index, "revision");
  CHECK(out == "tmfd " + version + " (" + revision + ")\n");
  const auto metrics = c.get("/metrics").body;
  CHECK_THAT(metrics, Contains("tmfd_build_info{version=\"" + version + "\",revision=\"" + revision + "\"} 1"));
}
