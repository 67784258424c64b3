#include "order_validation.hpp"

#include <functional>
#include <map>
#include <set>

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

#include "json_fields.hpp"
#include "order_lifecycles.hpp"
#include "order_paths.hpp"
#include "orchestrator.hpp"

namespace tmfd::ordering {

namespace {

const std::set<std::string> kActions = {"add", "modify", "delete", "noChange", "suspend", "resume"};

ApiError unprocessable(const std::string& code, const std::string& message) {
  return ApiError(422, code, "Unprocessable order", message);
}

std::string label(const json::object& item) { return "productOrderItem[id=" + text_at(item, "id") + "]"; }

bool fits_type(const json::value& v, const std::string& type) {
  if (type.empty() || type == "object" || type == "any") return true;
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_int64() || v.is_uint64();
  if (type == "number" || type == "float" || type == "decimal") return v.is_number();
  if (type == "boolean") return v.is_bool();
  return true;
}

// The item's characteristics against the specification's.
void check_characteristics(json::object& item, const json::object& specification) {
  const auto* declared = array_at(specification, "productSpecCharacteristic");
  json::object* product = item.contains("product") && item["product"].is_object() ? &item["product"].get_object() : nullptr;
  json::array given;
  if (product && product->contains("productCharacteristic")) {
    if (!(*product)["productCharacteristic"].is_array())
      throw ApiError::invalid_attribute(label(item) + ".product.productCharacteristic", "must be an array");
    given = (*product)["productCharacteristic"].get_array();
  }
  std::map<std::string, int> count;
  for (const auto& c : given) {
    if (!c.is_object() || text_at(c.get_object(), "name").empty() || !c.get_object().contains("value"))
      throw ApiError::invalid_attribute(label(item) + ".product.productCharacteristic", "entries need a name and a value");
    const std::string name = text_at(c.get_object(), "name");
    const json::object* spec = nullptr;
    if (declared)
      for (const auto& d : *declared)
        if (d.is_object() && text_at(d.get_object(), "name") == name) spec = &d.get_object();
    if (!spec)
      throw unprocessable("UNKNOWN_CHARACTERISTIC", label(item) + ": characteristic '" + name + "' is not defined by " +
                                                        "product specification '" + text_at(specification, "id") + "'");
    const auto& value = c.get_object().at("value");
    if (!fits_type(value, text_at(*spec, "valueType")))
      throw unprocessable("INVALID_CHARACTERISTIC", label(item) + ": characteristic '" + name + "' must be of type " +
                                                        text_at(*spec, "valueType"));
    if (const auto* allowed = array_at(*spec, "productSpecCharacteristicValue"); allowed && !allowed->empty()) {
      bool ok = false;
      bool has_values = false;
      for (const auto& a : *allowed)
        if (const auto* v = a.is_object() ? a.get_object().if_contains("value") : nullptr) {
          has_values = true;
          if (*v == value) ok = true;
        }
      if (has_values && !ok)
        throw unprocessable("INVALID_CHARACTERISTIC", label(item) + ": '" + json::serialize(value) +
                                                          "' is not an allowed value of characteristic '" + name + "'");
    }
    ++count[name];
  }
  if (!declared) return;
  for (const auto& d : *declared) {
    if (!d.is_object()) continue;
    const auto& spec = d.get_object();
    const std::string name = text_at(spec, "name");
    const auto* max = spec.if_contains("maxCardinality");
    if (max && max->is_int64() && count[name] > max->as_int64())
      throw unprocessable("INVALID_CHARACTERISTIC", label(item) + ": characteristic '" + name + "' given " +
                                                        std::to_string(count[name]) + " times, at most " +
                                                        std::to_string(max->as_int64()) + " allowed");
    const auto* min = spec.if_contains("minCardinality");
    if (count[name] > 0 || !min || !min->is_int64() || min->as_int64() < 1) continue;
    // A mandatory characteristic left out takes the specification's default, if it has one.
    const json::value* fallback = nullptr;
    if (const auto* values = array_at(spec, "productSpecCharacteristicValue"))
      for (const auto& v : *values)
        if (v.is_object() && v.get_object().if_contains("isDefault") && v.get_object().at("isDefault") == json::value(true))
          fallback = v.get_object().if_contains("value");
    if (!fallback)
      throw unprocessable("MISSING_CHARACTERISTIC", label(item) + ": characteristic '" + name + "' is mandatory");
    given.push_back(json::object{{"name", name}, {"value", *fallback}});
  }
  if (!given.empty()) {
    if (!product) {
      item["product"] = json::object();
      product = &item["product"].get_object();
    }
    (*product)["productCharacteristic"] = std::move(given);
  }
}

// The shape of the items (400 when wrong): ids, actions, states, quantities, relationships.
void check_item_shapes(json::array& items, std::set<std::string>& ids, std::map<std::string, std::vector<std::string>>& depends) {
  for (auto& v : items) {
    if (!v.is_object()) throw ApiError::invalid_attribute("productOrderItem", "must hold objects");
    auto& item = v.get_object();
    const std::string id = text_at(item, "id");
    if (id.empty()) throw ApiError::missing_attribute("productOrderItem.id");
    if (!ids.insert(id).second) throw ApiError::invalid_attribute(label(item), "has an id used by another item");
    const std::string action = text_at(item, "action");
    if (!kActions.contains(action))
      throw ApiError::invalid_attribute(label(item) + ".action",
                                        "must be add, modify, delete, noChange, suspend or resume");
    if (const auto* s = item.if_contains("state"); s && !(s->is_string() && s->get_string() == "acknowledged"))
      throw ApiError::invalid_attribute(label(item) + ".state", "is set by the server");
    if (const auto* q = item.if_contains("quantity"); q && !(q->is_int64() && q->as_int64() >= 1))
      throw ApiError::invalid_attribute(label(item) + ".quantity", "must be a positive integer");
    for (const char* key : {"productOffering", "product"})
      if (const auto* ref = item.if_contains(key); ref && !ref->is_object())
        throw ApiError::invalid_attribute(label(item) + "." + key, "must be an object");
    if (const auto* rels = item.if_contains("productOrderItemRelationship")) {
      if (!rels->is_array()) throw ApiError::invalid_attribute(label(item) + ".productOrderItemRelationship", "must be an array");
      for (const auto& r : rels->get_array()) {
        if (!r.is_object() || text_at(r.get_object(), "id").empty() || text_at(r.get_object(), "relationshipType").empty())
          throw ApiError::invalid_attribute(label(item) + ".productOrderItemRelationship", "entries need an id and a relationshipType");
        depends[id].push_back(text_at(r.get_object(), "id"));
      }
    }
    if (auto* nested = item.if_contains("productOrderItem")) {
      if (!nested->is_array()) throw ApiError::invalid_attribute(label(item) + ".productOrderItem", "must be an array");
      check_item_shapes(nested->get_array(), ids, depends);
    }
  }
}

// What the items name (422 when it does not exist or does not fit): offerings, their
// characteristics, the products of modify/delete/suspend/resume items.
void check_item_business(json::array& items, const catalog::CatalogQuery& catalog, const std::string& now) {
  for (auto& v : items) {
    auto& item = v.get_object();
    const std::string action = text_at(item, "action");
    if (action == "add") {
      const auto* offering = object_at(item, "productOffering");
      if (!offering || text_at(*offering, "id").empty())
        throw unprocessable("MISSING_OFFERING", label(item) + ": an add item names its productOffering (productOffering.id)");
      catalog::ResolvedOffering resolved;
      try {
        resolved = catalog.resolve_sellable_offering(text_at(*offering, "id"), now);
      } catch (const ApiError& e) {
        throw unprocessable(e.http_status() == 404 ? "UNKNOWN_OFFERING" : e.code(), label(item) + ".productOffering: " + e.detail());
      }
      if (resolved.product_specification) check_characteristics(item, *resolved.product_specification);
    } else if (action != "noChange") {
      const auto* product = object_at(item, "product");
      if (!product || text_at(*product, "id").empty())
        throw unprocessable("MISSING_PRODUCT", label(item) + ": a " + action + " item names the product it changes (product.id)");
    }
    if (auto* nested = item.if_contains("productOrderItem")) check_item_business(nested->get_array(), catalog, now);
  }
}

void check_no_loops(const std::set<std::string>& ids, const std::map<std::string, std::vector<std::string>>& depends) {
  for (const auto& [from, targets] : depends)
    for (const auto& to : targets) {
      if (!ids.contains(to))
        throw ApiError::invalid_attribute("productOrderItem[id=" + from + "].productOrderItemRelationship",
                                          "names item '" + to + "', which the order does not have");
      if (to == from)
        throw ApiError::invalid_attribute("productOrderItem[id=" + from + "].productOrderItemRelationship", "names the item itself");
    }
  std::map<std::string, int> mark;  // 1: on the path, 2: done
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    mark[id] = 1;
    if (auto it = depends.find(id); it != depends.end())
      for (const auto& next : it->second) {
        if (mark[next] == 1)
          throw ApiError::invalid_attribute("productOrderItemRelationship", "items '" + id + "' and '" + next + "' depend on each other (a loop)");
        if (mark[next] == 0) visit(next);
      }
    mark[id] = 2;
  };
  for (const auto& id : ids)
    if (mark[id] == 0) visit(id);
}

// A local party reference points at the party module's collections by its @referredType.
std::string party_path(const std::string& referred_type) {
  if (referred_type == "Individual") return "/tmf-api/party/v4/individual";
  if (referred_type == "Organization") return "/tmf-api/party/v4/organization";
  if (referred_type == "Customer") return "/tmf-api/customerManagement/v4/customer";
  return {};
}

std::set<std::string> party_ids(const json::object& entity) {
  std::set<std::string> out;
  if (const auto* parties = array_at(entity, "relatedParty"))
    for (const auto& p : *parties)
      if (p.is_object()) out.insert(text_at(p.get_object(), "id"));
  return out;
}

} // namespace

void check_new_product_order(json::object& order, const OrderChecks& checks) {
  if (const auto* s = order.if_contains("state"); s && !(s->is_string() && s->get_string() == "acknowledged"))
    throw ApiError::invalid_attribute("state", "is set by the server");
  auto* items = order.if_contains("productOrderItem");
  if (!items || !items->is_array() || items->get_array().empty())
    throw ApiError::invalid_attribute("productOrderItem", "must list at least one item");
  std::set<std::string> ids;
  std::map<std::string, std::vector<std::string>> depends;
  check_item_shapes(items->get_array(), ids, depends);
  check_no_loops(ids, depends);
  if (!order.contains("orderDate")) order["orderDate"] = now_timestamp();
  // Adding a key may move the object's members: look the items up again after each addition.
  auto& item_list = order["productOrderItem"].get_array();
  try {
    check_item_business(item_list, checks.catalog, now_timestamp());
    check_product_order_references(order, checks.read);
  } catch (const ApiError& e) {
    if (!checks.reject_invalid || e.http_status() != 422) throw;
    // TMF622's "check order business consistency -> Rejected": the order is kept, rejected, with why.
    std::function<void(json::array&)> reject = [&](json::array& list) {
      for (auto& i : list) {
        i.get_object()["state"] = "rejected";
        if (auto* nested = i.get_object().if_contains("productOrderItem"); nested && nested->is_array()) reject(nested->get_array());
      }
    };
    reject(item_list);
    order["state"] = "rejected";
    json::array notes = order.contains("note") && order["note"].is_array() ? order["note"].get_array() : json::array();
    notes.push_back(json::object{{"author", "tmfd ordering"}, {"date", now_timestamp()}, {"text", "rejected: " + e.detail()}});
    order["note"] = std::move(notes);
  }
}

void check_product_order_references(const json::object& order, const StoredReader& read) {
  if (const auto* parties = array_at(order, "relatedParty"))
    for (const auto& p : *parties) {
      if (!p.is_object() || is_external_reference(p.get_object(), "")) continue;
      const auto path = party_path(text_at(p.get_object(), "@referredType"));
      if (!path.empty() && !read(path, text_at(p.get_object(), "id")))
        throw unprocessable("UNKNOWN_PARTY", "relatedParty: " + text_at(p.get_object(), "@referredType") + " '" +
                                                 text_at(p.get_object(), "id") + "' does not exist");
    }
  auto check_account = [&](const json::value* ref, const std::string& where) {
    if (!ref || !ref->is_object() || is_external_reference(ref->get_object(), "")) return;
    const auto id = text_at(ref->get_object(), "id");
    if (!id.empty() && !read(kBillingAccounts, id))
      throw unprocessable("UNKNOWN_ACCOUNT", where + ": billing account '" + id + "' does not exist");
  };
  if (const auto* accounts = array_at(order, "billingAccount"))
    for (const auto& a : *accounts) check_account(&a, "billingAccount");
  else check_account(order.if_contains("billingAccount"), "billingAccount");

  const auto customer_parties = party_ids(order);
  std::function<void(const json::array&)> check = [&](const json::array& items) {
    for (const auto& v : items) {
      const auto& item = v.get_object();
      check_account(item.if_contains("billingAccount"), label(item) + ".billingAccount");
      const std::string action = text_at(item, "action");
      if (action != "add" && action != "noChange") {
        const std::string product_id = text_at(*object_at(item, "product"), "id");
        auto stored = read(kProducts, product_id);
        if (!stored) throw unprocessable("UNKNOWN_PRODUCT", label(item) + ".product: product '" + product_id + "' is not in inventory");
        const auto product = parse_object(stored->body);
        const auto owners = party_ids(product);
        bool shared = customer_parties.empty() || owners.empty();
        for (const auto& id : customer_parties) shared = shared || owners.contains(id);
        if (!shared)
          throw unprocessable("NOT_CUSTOMER_PRODUCT", label(item) + ".product: product '" + product_id +
                                                          "' does not belong to the order's customer");
        const std::string status = text_at(product, "status");
        const bool fits = (action == "resume") ? status == "suspended"
                          : (action == "delete") ? (status == "active" || status == "suspended")
                                                 : status == "active";
        if (!fits)
          throw unprocessable("INVALID_PRODUCT_STATE", label(item) + ": product '" + product_id + "' is " + status +
                                                           ", which action '" + action + "' does not apply to");
      }
      if (const auto* nested = array_at(item, "productOrderItem")) check(*nested);
    }
  };
  if (const auto* items = array_at(order, "productOrderItem")) check(*items);
}

void check_product_order_change(const json::object& order, const json::object& previous, UnitOfWork& work) {
  if (orchestrator_is_writing()) return;
  if (text_at(order, "state") != text_at(previous, "state"))
    throw ApiError(409, "STATE_SET_BY_ORCHESTRATOR", "Illegal state change",
                   "the order's state follows its fulfilment: cancel with cancelProductOrder, or use the hold and resume actions");
  if (order.if_contains("productOrderItem") && previous.if_contains("productOrderItem") &&
      order.at("productOrderItem") != previous.at("productOrderItem"))
    throw ApiError(409, "ITEMS_NOT_AMENDABLE", "Items cannot be amended",
                   "productOrderItem cannot change once the order is accepted: cancel it and place a new order");
  if (auto plan = work.get(kPlans, text_at(order, "id")))
    if (const auto stored = parse_object(plan->body); stored.if_contains("pastPointOfNoReturn") &&
                                                       stored.at("pastPointOfNoReturn") == json::value(true))
      throw ApiError(409, "POINT_OF_NO_RETURN", "Order past its point of no return",
                     "the order passed its point of no return: it can no longer be amended or cancelled");
}

void check_new_child_order(json::object& order, const char* items_key) {
  // The orchestrator creates its child orders in the state the plan reached.
  if (orchestrator_is_writing()) return;
  if (!order.contains("orderDate")) order["orderDate"] = now_timestamp();  // the server's, as for product orders
  if (const auto* s = order.if_contains("state"); s && !(s->is_string() && s->get_string() == "acknowledged"))
    throw ApiError::invalid_attribute("state", "is set by the server");
  const auto* items = array_at(order, items_key);
  if (!items) return;
  std::set<std::string> ids;
  for (const auto& v : *items) {
    if (!v.is_object()) throw ApiError::invalid_attribute(items_key, "must hold objects");
    const auto& item = v.get_object();
    const auto id = text_at(item, "id");
    if (id.empty()) throw ApiError::missing_attribute(std::string(items_key) + ".id");
    if (!ids.insert(id).second) throw ApiError::invalid_attribute(std::string(items_key) + "[id=" + id + "]", "has an id used by another item");
    const auto action = text_at(item, "action");
    if (!action.empty() && !kActions.contains(action))
      throw ApiError::invalid_attribute(std::string(items_key) + "[id=" + id + "].action", "must be add, modify, delete or noChange");
  }
}

} // namespace tmfd::ordering
