// Federated references: a reference whose href names another server is kept as sent and not
// checked here; a reference to this tmfd (no href, a relative one, or one under
// server.public_base_url) must name an entity that exists. Against the real binary.
#include <catch2/catch.hpp>

#include <string>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "test_configs.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;

namespace {

const std::string kProduct = "/tmf-api/productCatalogManagement/v4";
const std::string kSpec = "TMF620-ProductCatalog-v4.0.0.swagger.json";

json::object offering_referring_to(const json::object& spec_ref) {
  return {{"name", "Federated"}, {"productSpecification", spec_ref}};
}

TmfdOptions catalog_with_base_url(const std::string& base_url) {
  TmfdOptions o = catalog_module_options(false, false, false);
  o.full_yaml.insert(o.full_yaml.find("server:\n") + 8, "  public_base_url: " + base_url + "\n");
  return o;
}

} // namespace

TEST_CASE("a reference to an entity on another server is accepted and kept as sent", "[catalog][federated]") {
  TmfdProcess p(catalog_module_options(false, false, false));
  HttpClient c(p.port());
  const json::object remote{
      {"id", "9881"},
      {"href", "https://other.example/tmf-api/productCatalogManagement/v4/productSpecification/9881"},
      {"name", "Remote spec"}};
  auto r = post_json(c, kProduct + "/productOffering", offering_referring_to(remote));
  REQUIRE(r.status == 201);
  auto stored = c.get(kProduct + "/productOffering/" + str(r.json().as_object(), "id"));
  CHECK(stored.json().as_object().at("productSpecification") == json::value(remote));
  // The scheme and host may be written in any case; an array of references works the same.
  json::object upper = remote;
  upper["href"] = "HTTPS://Other.Example/x/9881";
  CHECK(post_json(c, kProduct + "/productOffering", offering_referring_to(upper)).status == 201);
  auto bundle = post_json(c, kProduct + "/productOffering",
                          json::object{{"name", "Bundle"}, {"isBundle", true},
                                       {"bundledProductOffering", json::array{json::object{
                                                                      {"id", "po-77"},
                                                                      {"href", "http://partner.example/po/po-77"}}}}});
  CHECK(bundle.status == 201);
  // A federated reference still needs its id.
  json::object no_id{{"href", "https://other.example/spec/1"}};
  check_error_response(post_json(c, kProduct + "/productOffering", offering_referring_to(no_id)), 400, kSpec, "'id'");
}

TEST_CASE("references to this server are checked: no href, a relative href, or one under public_base_url",
          "[catalog][federated]") {
  TmfdProcess p(catalog_with_base_url("http://tmfd.example:8080"));
  HttpClient c(p.port());
  for (const auto& href : {std::string(), std::string("/tmf-api/productCatalogManagement/v4/productSpecification/missing"),
                           std::string("http://tmfd.example:8080/tmf-api/productCatalogManagement/v4/productSpecification/missing"),
                           std::string("HTTP://TMFD.EXAMPLE:8080/tmf-api/productCatalogManagement/v4/productSpecification/missing")}) {
    INFO(href);
    json::object ref{{"id", "missing"}};
    if (!href.empty()) ref["href"] = href;
    auto r = post_json(c, kProduct + "/productOffering", offering_referring_to(ref));
    auto error = check_error_response(r, 400, kSpec, "missing");
    CHECK(str(error, "code") == "INVALID_REFERENCE");
  }
  // The same base URL with another port is another server.
  json::object other_port{{"id", "missing"}, {"href", "http://tmfd.example:80801/spec/missing"}};
  CHECK(post_json(c, kProduct + "/productOffering", offering_referring_to(other_port)).status == 201);
  // And a local reference to an entity that exists is accepted, whatever href form it uses.
  auto spec = post_json(c, kProduct + "/productSpecification", json::object{{"name", "Local"}});
  REQUIRE(spec.status == 201);
  const auto id = str(spec.json().as_object(), "id");
  json::object own{{"id", id}, {"href", "http://tmfd.example:8080" + kProduct + "/productSpecification/" + id}};
  CHECK(post_json(c, kProduct + "/productOffering", offering_referring_to(own)).status == 201);
}
