#include "http_helpers.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>
#include <utility>

#include <boost/json/serialize.hpp>

#include "json_helpers.hpp"
#include "spec_checks.hpp"

namespace tmfd::test {

namespace json = boost::json;
using Catch::Matchers::Contains;

json::object individual(const std::string& given, const std::string& family) {
  return {{"givenName", given}, {"familyName", family}};
}

HttpResponse post_json(HttpClient& c, const std::string& path, const json::object& body, Headers extra) {
  Headers h{{"Content-Type", "application/json"}};
  for (auto& kv : extra) h.push_back(std::move(kv));
  return c.request("POST", path, json::serialize(body), h);
}

HttpResponse merge_patch(HttpClient& c, const std::string& path, const std::string& id, const json::object& body,
                         Headers extra) {
  Headers h{{"Content-Type", "application/merge-patch+json"}};
  for (auto& kv : extra) h.push_back(std::move(kv));
  return c.request("PATCH", path + "/" + id, json::serialize(body), h);
}

std::string check_created(const HttpResponse& r, const json::object& created, const std::string& collection_path,
                          const std::string& type) {
  const std::string id = str(created, "id");
  REQUIRE(!id.empty());
  CHECK(str(created, "href") == collection_path + "/" + id);
  CHECK(r.header("location") == collection_path + "/" + id);
  CHECK(r.header("etag") == "\"1\"");
  CHECK(str(created, "@type") == type);
  return id;
}

std::size_t total_count(HttpClient& c, const std::string& path, const std::string& query) {
  auto r = c.get(path + (query.empty() ? "" : "?" + query));
  INFO(path << "?" << query << ": " << r.body);
  REQUIRE(r.status == 200);
  return std::stoul(r.header("x-total-count"));
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(ch));
      out += buf;
    }
  }
  return out;
}

json::object check_error_response(const HttpResponse& r, int status, const std::string& spec_file,
                                  const std::string& mention) {
  INFO("status " << r.status << " body " << r.body);
  REQUIRE(r.status == status);
  auto o = as_object(r);
  CHECK(!str(o, "code").empty());
  CHECK(!str(o, "reason").empty());
  CHECK(str(o, "status") == std::to_string(status));
  if (!mention.empty()) CHECK_THAT(str(o, "message"), Contains(mention));
  check_spec(o, spec_file, "Error");
  return o;
}

json::object check_typed_error_response(const HttpResponse& r, int status, const std::string& spec_file,
                                        const std::string& mention) {
  auto o = check_error_response(r, status, spec_file, mention);
  INFO("status " << r.status << " body " << r.body);
  CHECK(str(o, "@type") == "Error");
  return o;
}

double metric_value(const std::string& text, const std::string& name) {
  for (const std::string& spelled : {name, name + "{}"}) {
    auto pos = text.find("\n" + spelled + " ");
    if (pos == std::string::npos) continue;
    pos += 1 + spelled.size() + 1;
    return std::stod(text.substr(pos, text.find('\n', pos) - pos));
  }
  return -1;
}

} // namespace tmfd::test
