#include "resource/openapi.hpp"

#include <algorithm>

namespace tmfd::resource {

namespace {

json::object schema_ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

json::object type_schema(AttributeType t) {
  switch (t) {
  case AttributeType::String: return {{"type", "string"}};
  case AttributeType::DateTime: return {{"type", "string"}, {"format", "date-time"}};
  case AttributeType::Boolean: return {{"type", "boolean"}};
  case AttributeType::Integer: return {{"type", "integer"}};
  case AttributeType::Number: return {{"type", "number"}};
  case AttributeType::Object: return {{"type", "object"}};
  case AttributeType::Array: return {{"type", "array"}, {"items", json::object{}}};
  }
  return {};
}

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

json::array strings(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

json::object read_only(json::object schema) {
  schema["readOnly"] = true;
  return schema;
}

// The attributes tmfd knows of a kind; any other attribute is accepted and kept as sent.
json::object properties_of(const ResourceKind& k) {
  json::object p;
  p["id"] = read_only({{"type", "string"}, {"description", "Set by the server"}});
  p["href"] = read_only({{"type", "string"}, {"description", "Set by the server"}});
  p["@type"] = {{"type", "string"}, {"default", k.type}};
  p["@baseType"] = {{"type", "string"}};
  p["@schemaLocation"] = {{"type", "string"}};
  for (const auto& a : k.attributes) {
    auto s = type_schema(a.type);
    if (contains(k.immutable, a.name)) s["description"] = "Cannot be changed once set";
    p[a.name] = std::move(s);
  }
  if (k.lifecycle) {
    json::object state{{"type", "string"}, {"enum", strings(k.lifecycle->states)}};
    if (!k.lifecycle->initial.empty()) state["default"] = k.lifecycle->initial;
    state["description"] = "Lifecycle state; an illegal move is answered 409";
    p[k.lifecycle->field] = std::move(state);
  }
  for (const auto* server_set : {&k.created_field, &k.last_update_field})
    if (!server_set->empty()) p[*server_set] = read_only({{"type", "string"}, {"format", "date-time"}});
  return p;
}

void add_kind_schemas(json::object& schemas, const ResourceKind& k) {
  json::array required{"id", "href"};
  for (const auto& m : k.mandatory) required.emplace_back(m);
  schemas[k.type] = {{"type", "object"}, {"required", required}, {"properties", properties_of(k)},
                     {"additionalProperties", true}};
  json::object create{{"type", "object"}, {"properties", properties_of(k)}, {"additionalProperties", true}};
  create.at("properties").get_object().erase("id");
  create.at("properties").get_object().erase("href");
  if (!k.mandatory.empty()) create["required"] = strings(k.mandatory);
  schemas[k.type + "_Create"] = std::move(create);
  json::object update{{"type", "object"}, {"properties", properties_of(k)}, {"additionalProperties", true},
                      {"description", "A merge patch (RFC 7396): null removes an attribute"}};
  update.at("properties").get_object().erase("id");
  update.at("properties").get_object().erase("href");
  schemas[k.type + "_Update"] = std::move(update);
}

json::object common_schemas() {
  json::object schemas;
  schemas["Error"] = {
      {"type", "object"},
      {"required", json::array{"code", "reason", "status"}},
      {"properties", json::object{{"code", {{"type", "string"}}},
                                  {"reason", {{"type", "string"}}},
                                  {"message", {{"type", "string"}}},
                                  {"status", {{"type", "string"}}},
                                  {"@type", {{"type", "string"}}}}}};
  json::object operation{{"type", "object"},
                         {"required", json::array{"op", "path"}},
                         {"properties", json::object{{"op", json::object{{"type", "string"},
                                                                         {"enum", json::array{"add", "remove", "replace",
                                                                                              "move", "copy", "test"}}}},
                                                     {"path", json::object{{"type", "string"}}},
                                                     {"from", json::object{{"type", "string"}}},
                                                     {"value", json::object{}}}}};
  schemas["JsonPatch"] = json::object{{"type", "array"}, {"maxItems", 1000}, {"items", std::move(operation)}};
  schemas["EventSubscriptionInput"] = {
      {"type", "object"},
      {"required", json::array{"callback"}},
      {"properties", json::object{{"callback", {{"type", "string"}}}, {"query", {{"type", "string"}}}}}};
  schemas["EventSubscription"] = {
      {"type", "object"},
      {"required", json::array{"id", "callback"}},
      {"properties", json::object{{"id", {{"type", "string"}}}, {"callback", {{"type", "string"}}},
                                  {"query", {{"type", "string"}}}, {"href", {{"type", "string"}}}}},
      {"additionalProperties", true}};
  return schemas;
}

json::object error_response(const std::string& description) {
  return {{"description", description},
          {"content", json::object{{"application/json", json::object{{"schema", schema_ref("Error")}}}}}};
}

json::object json_content(json::object schema) {
  return {{"application/json", json::object{{"schema", std::move(schema)}}}};
}

json::object query_param(const std::string& name, json::object schema, const std::string& description) {
  return {{"name", name}, {"in", "query"}, {"required", false}, {"schema", std::move(schema)}, {"description", description}};
}

json::object id_param() {
  return {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", json::object{{"type", "string"}}}};
}

json::object if_match_param() {
  return {{"name", "If-Match"},
          {"in", "header"},
          {"required", false},
          {"schema", json::object{{"type", "string"}}},
          {"description", "The ETag the change applies to; another version is answered 412"}};
}

// A response with a description and a JSON body of `schema`.
json::object described(const std::string& description, json::object schema) {
  json::object r;
  r["description"] = description;
  r["content"] = json_content(std::move(schema));
  return r;
}

json::object header_of(const char* type) { return {{"schema", json::object{{"type", type}}}}; }

json::object fields_param() {
  return query_param("fields", {{"type", "string"}}, "Comma-separated attributes to return (id and href are kept)");
}

void add_errors(json::object& responses, std::initializer_list<int> statuses) {
  for (int s : statuses) {
    const char* what = s == 400   ? "Bad request"
                       : s == 404 ? "Not found"
                       : s == 405 ? "Method not allowed"
                       : s == 409 ? "Conflict (an illegal lifecycle move, a failed JSON Patch test)"
                       : s == 412 ? "Precondition failed (If-Match)"
                       : s == 413 ? "Too large"
                       : s == 415 ? "Unsupported media type"
                       : s == 503 ? "Storage unavailable (retry)"
                       : s == 507 ? "Storage full"
                                  : "Error";
    responses[std::to_string(s)] = error_response(what);
  }
}

json::object collection_path_item(const ResourceKind& k) {
  json::object item;
  const auto& t = k.type;
  if (k.operations.list) {
    json::array params{fields_param(),
                       query_param("offset", {{"type", "integer"}, {"minimum", 0}}, "Items to skip"),
                       query_param("limit", {{"type", "integer"}, {"minimum", 0}}, "Items to return (capped by the server)"),
                       query_param("sort", {{"type", "string"}},
                                   "Comma-separated attributes, '-' before one for descending order")};
    for (const auto& a : k.indexed)
      params.push_back(query_param(a, {{"type", "string"}},
                                   "Filter (indexed). Any attribute path filters the same way: a=v1,v2 "
                                   "(OR), a.gt= .gte= .lt= .lte= .eq="));
    json::object page;
    page["description"] = "A page of " + k.collection;
    page["headers"] = json::object{{"X-Total-Count", header_of("integer")}, {"X-Result-Count", header_of("integer")}};
    page["content"] = json_content(json::object{{"type", "array"}, {"items", schema_ref(t)}});
    json::object responses;
    responses["200"] = std::move(page);
    add_errors(responses, {400, 503});
    item["get"] = {{"operationId", "list" + t}, {"summary", "List or find " + t + " objects"},
                   {"parameters", params}, {"responses", responses}};
  }
  if (k.operations.create) {
    json::object created;
    created["description"] = "Created";
    created["headers"] = json::object{{"Location", header_of("string")}, {"ETag", header_of("string")}};
    created["content"] = json_content(schema_ref(t));
    json::object responses;
    responses["201"] = std::move(created);
    add_errors(responses, {400, 409, 413, 415, 503, 507});
    item["post"] = {{"operationId", "create" + t},
                    {"summary", "Create a " + t},
                    {"requestBody", json::object{{"required", true}, {"content", json_content(schema_ref(t + "_Create"))}}},
                    {"responses", responses}};
  }
  return item;
}

json::object resource_path_item(const ResourceKind& k) {
  json::object item;
  const auto& t = k.type;
  item["parameters"] = json::array{id_param()};
  if (k.operations.get) {
    json::object one;
    one["description"] = "The " + t;
    one["headers"] = json::object{{"ETag", header_of("string")}};
    one["content"] = json_content(schema_ref(t));
    json::object responses;
    responses["200"] = std::move(one);
    add_errors(responses, {400, 404, 503});
    item["get"] = {{"operationId", "retrieve" + t}, {"summary", "Retrieve a " + t},
                   {"parameters", json::array{fields_param()}}, {"responses", responses}};
  }
  if (k.operations.patch) {
    json::object content{{"application/merge-patch+json", json::object{{"schema", schema_ref(t + "_Update")}}},
                         {"application/json", json::object{{"schema", schema_ref(t + "_Update")}}},
                         {"application/json-patch+json", json::object{{"schema", schema_ref("JsonPatch")}}}};
    json::object responses{{"200", described("Updated", schema_ref(t))}};
    add_errors(responses, {400, 404, 409, 412, 413, 415, 503, 507});
    item["patch"] = {{"operationId", "patch" + t},
                     {"summary", "Update a " + t},
                     {"parameters", json::array{if_match_param()}},
                     {"requestBody", json::object{{"required", true}, {"content", content}}},
                     {"responses", responses}};
  }
  if (k.operations.remove) {
    json::object responses{{"204", json::object{{"description", "Deleted"}}}};
    add_errors(responses, {404, 409, 412, 503, 507});
    item["delete"] = {{"operationId", "delete" + t}, {"summary", "Delete a " + t},
                      {"parameters", json::array{if_match_param()}}, {"responses", responses}};
  }
  return item;
}

void add_hub_paths(json::object& paths) {
  json::object created{{"201", described("Registered", schema_ref("EventSubscription"))}};
  add_errors(created, {400, 415, 503});
  json::object listed{{"200", described("The hubs", json::object{{"type", "array"}, {"items", schema_ref("EventSubscription")}})}};
  add_errors(listed, {400});
  paths["/hub"] = {
      {"post", json::object{{"operationId", "registerListener"},
                            {"summary", "Register a listener (events are POSTed to its callback)"},
                            {"requestBody", json::object{{"required", true}, {"content", json_content(schema_ref("EventSubscriptionInput"))}}},
                            {"responses", created}}},
      {"get", json::object{{"operationId", "listListeners"}, {"summary", "List the listeners"}, {"responses", listed}}}};
  json::object one{{"200", described("The hub and its delivery status", schema_ref("EventSubscription"))}};
  add_errors(one, {404});
  json::object gone{{"204", json::object{{"description", "Unregistered"}}}};
  add_errors(gone, {404, 503});
  paths["/hub/{id}"] = {{"parameters", json::array{id_param()}},
                        {"get", json::object{{"operationId", "retrieveListener"}, {"responses", one}}},
                        {"delete", json::object{{"operationId", "unregisterListener"}, {"responses", gone}}}};
}

} // namespace

json::object openapi_document(const OpenApiInput& input) {
  json::object schemas = common_schemas();
  json::object paths;
  std::vector<std::string> names;
  auto add_paths = [&](const ResourceKind& k) {
    add_kind_schemas(schemas, k);
    auto collection = collection_path_item(k);
    if (!collection.empty()) paths["/" + k.collection] = std::move(collection);
    auto resource = resource_path_item(k);
    if (resource.size() > 1) paths["/" + k.collection + "/{id}"] = std::move(resource);
  };
  for (const auto* k : input.kinds) {
    add_paths(*k);
    // A subtype's path serves the kind's operations on resources of its @type.
    for (const auto& sub : k->subtypes) {
      ResourceKind as_subtype = *k;
      as_subtype.collection = sub.collection;
      as_subtype.type = sub.type;
      if (sub.mandatory) as_subtype.mandatory = *sub.mandatory;
      as_subtype.subtypes.clear();
      add_paths(as_subtype);
    }
    if (std::find(names.begin(), names.end(), k->api) == names.end()) names.push_back(k->api);
  }
  add_hub_paths(paths);
  std::string title = "tmfd";
  for (const auto& n : names) title += " " + n;
  return {{"openapi", "3.0.3"},
          {"info", json::object{{"title", title + " API"},
                                {"version", input.version},
                                {"description", "Generated by tmfd from the resource kinds it serves at " +
                                                    input.base_path + ". TMF630 rules apply to every collection."}}},
          {"servers", json::array{json::object{{"url", input.server_url}}}},
          {"paths", std::move(paths)},
          {"components", json::object{{"schemas", std::move(schemas)}}}};
}

} // namespace tmfd::resource
