#include "catalog_query.hpp"

#include <algorithm>

#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

#include "catalog_paths.hpp"

namespace tmfd::catalog {

namespace {

std::string path_of(std::string_view base, std::string_view collection) {
  return std::string(base) + "/" + std::string(collection);
}

std::string ref_id(const json::value& ref) {
  if (!ref.is_object()) return {};
  auto* id = ref.as_object().if_contains("id");
  return id && id->is_string() ? std::string(id->get_string()) : std::string();
}

// Calls f(id) for a reference attribute that is one object or an array of them.
template <class F> void for_each_ref(const json::object& o, std::string_view attribute, F&& f) {
  auto* v = o.if_contains(attribute);
  if (!v) return;
  if (v->is_array()) {
    for (const auto& item : v->get_array())
      if (auto id = ref_id(item); !id.empty()) f(id);
  } else if (auto id = ref_id(*v); !id.empty()) {
    f(id);
  }
}

bool contains_id(const std::vector<json::object>& list, const std::string& id) {
  for (const auto& o : list)
    if (auto* v = o.if_contains("id"); v && v->is_string() && v->get_string() == id) return true;
  return false;
}

ApiError broken(const std::string& what) {
  return ApiError(422, "BROKEN_CATALOG", "Catalog reference missing", what);
}

} // namespace

bool CatalogQueryService::is_sellable(const json::object& entity, std::string_view now, std::string* why) const {
  auto fail = [why](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  auto* status = entity.if_contains("lifecycleStatus");
  std::string_view s = status && status->is_string() ? std::string_view(status->get_string()) : std::string_view();
  if (s != "Active" && s != "Launched")
    return fail("lifecycleStatus is '" + std::string(s) + "', not Active or Launched");
  if (auto* vf = entity.if_contains("validFor"); vf && vf->is_object()) {
    const auto& period = vf->get_object();
    auto at = date_time_ms(now);
    if (!at) return fail("'" + std::string(now) + "' is not a date-time");
    auto bound = [&](const char* key) -> std::optional<std::int64_t> {
      auto* v = period.if_contains(key);
      return v && v->is_string() ? date_time_ms(v->get_string()) : std::nullopt;
    };
    if (auto start = bound("startDateTime"); start && *at < *start)
      return fail("not valid before " + std::string(period.at("startDateTime").as_string()));
    if (auto end = bound("endDateTime"); end && *at >= *end)
      return fail("not valid since " + std::string(period.at("endDateTime").as_string()));
  }
  return true;
}

std::optional<json::object> CatalogQueryService::read(std::string_view base, const std::string& collection,
                                                      const std::string& id) const {
  if (auto cached = cache_.find(collection, id)) return *cached;
  const auto read_at = cache_.generation();
  auto found = resources_.get(path_of(base, collection), id);
  if (!found) return std::nullopt;
  auto entity = std::make_shared<const json::object>(parse_object(found->body));
  cache_.keep(collection, id, entity, read_at);
  return *entity;
}

std::optional<json::object> CatalogQueryService::product_offering(const std::string& id) const {
  return read(kProductCatalogPath, "productOffering", id);
}
std::optional<json::object> CatalogQueryService::product_specification(const std::string& id) const {
  return read(kProductCatalogPath, "productSpecification", id);
}
std::optional<json::object> CatalogQueryService::service_specification(const std::string& id) const {
  return read(kServiceCatalogPath, "serviceSpecification", id);
}
std::optional<json::object> CatalogQueryService::resource_specification(const std::string& id) const {
  return read(kResourceCatalogPath, "resourceSpecification", id);
}

ResolvedOffering CatalogQueryService::resolve_sellable_offering(const std::string& id, std::string_view now) const {
  std::vector<std::string> path;
  return resolve(id, now, path);
}

ResolvedOffering CatalogQueryService::resolve(const std::string& id, std::string_view now, std::vector<std::string>& path) const {
  // Bundles may (wrongly) contain each other: the offerings being resolved are on `path`.
  if (std::find(path.begin(), path.end(), id) != path.end())
    throw broken("productOffering '" + id + "' bundles itself through " + path.front());
  path.push_back(id);
  auto offering = product_offering(id);
  if (!offering) throw ApiError::not_found("productOffering '" + id + "' does not exist");
  std::string why;
  if (!is_sellable(*offering, now, &why))
    throw ApiError(422, "NOT_SELLABLE", "Offering not sellable", "productOffering '" + id + "': " + why);

  ResolvedOffering out;
  out.offering = *offering;
  auto add_resource_specs = [&](const json::object& spec) {
    for_each_ref(spec, "resourceSpecification", [&](const std::string& rid) {
      if (contains_id(out.resource_specifications, rid)) return;
      auto rs = resource_specification(rid);
      if (!rs) throw broken("resourceSpecification '" + rid + "' does not exist");
      out.resource_specifications.push_back(std::move(*rs));
    });
  };
  for_each_ref(*offering, "productSpecification", [&](const std::string& psid) {
    auto ps = product_specification(psid);
    if (!ps) throw broken("productSpecification '" + psid + "' does not exist");
    add_resource_specs(*ps);
    // Breadth-first through serviceSpecRelationship, each specification once (cycles end).
    std::vector<std::string> queue;
    for_each_ref(*ps, "serviceSpecification", [&](const std::string& sid) { queue.push_back(sid); });
    for (std::size_t i = 0; i < queue.size(); ++i) {
      if (contains_id(out.service_specifications, queue[i])) continue;
      auto ss = service_specification(queue[i]);
      if (!ss) throw broken("serviceSpecification '" + queue[i] + "' does not exist");
      add_resource_specs(*ss);
      for_each_ref(*ss, "serviceSpecRelationship", [&](const std::string& sid) { queue.push_back(sid); });
      out.service_specifications.push_back(std::move(*ss));
    }
    out.product_specification = std::move(*ps);
  });
  for_each_ref(*offering, "bundledProductOffering",
               [&](const std::string& bid) { out.bundled.push_back(resolve(bid, now, path)); });
  path.pop_back();
  return out;
}

} // namespace tmfd::catalog
