#include "account_references.hpp"

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

namespace tmfd::party {

namespace {

const std::string kBase = "/tmf-api/accountManagement/v4/";

std::string collection_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// The ids an item of a reference names; throws 400 for an item that is neither a reference nor a
// value.
void collect_id(const json::value& item, const std::string& where, const TransactionReader& reader,
                std::vector<std::string>& ids) {
  if (!item.is_object()) throw ApiError::invalid_attribute(where, "must be an object");
  const auto& o = item.get_object();
  const json::value* id = o.if_contains("id");
  const json::value* is_ref = o.if_contains("isRef");
  if (is_ref && !is_ref->is_bool()) throw ApiError::invalid_attribute(where + ".isRef", "must be a boolean");
  const bool says_ref = is_ref && is_ref->get_bool();
  if (!id || id->is_null()) {
    if (says_ref) throw ApiError::invalid_attribute(where, "has isRef true but no 'id'");
    return;  // a value, not a reference
  }
  if (!id->is_string() || id->get_string().empty())
    throw ApiError::invalid_attribute(where + ".id", "must be a non-empty string");
  if (reader.is_external(o)) return;  // a federated reference: the other server's to hold
  ids.emplace_back(id->get_string());
}

std::vector<std::string> referenced_ids(const json::object& account, const AccountReference& ref,
                                        const TransactionReader& reader) {
  std::vector<std::string> ids;
  const json::value* v = find_path(account, ref.attribute);
  if (!v || v->is_null()) return ids;
  if (v->is_array()) {
    std::size_t i = 0;
    for (const auto& item : v->get_array())
      collect_id(item, ref.attribute + "[" + std::to_string(i++) + "]", reader, ids);
  } else {
    collect_id(*v, ref.attribute, reader, ids);
  }
  return ids;
}

} // namespace

const std::vector<AccountReference>& party_account_references() {
  static const std::vector<AccountReference> refs = {
      {"billStructure.format", kBase + "billFormat"},
      {"billStructure.presentationMedia", kBase + "billPresentationMedia"},
      {"billStructure.cycleSpecification", kBase + "billingCycleSpecification"},
      {"financialAccount", kBase + "financialAccount"},
  };
  return refs;
}

const std::vector<std::string>& party_account_paths() {
  static const std::vector<std::string> paths = {kBase + "partyAccount", kBase + "billingAccount",
                                                 kBase + "settlementAccount"};
  return paths;
}

void check_account_references(const json::object& account, TransactionReader& reader) {
  const json::value* structure = account.if_contains("billStructure");
  if (structure && !structure->is_null() && !structure->is_object())
    throw ApiError::invalid_attribute("billStructure", "must be an object");
  for (const auto& ref : party_account_references())
    for (const auto& id : referenced_ids(account, ref, reader))
      if (!reader.get(ref.target, id))
        throw ApiError(400, "INVALID_REFERENCE", "Reference to a missing entity",
                       ref.attribute + " refers to " + collection_name(ref.target) + " '" + id +
                           "', which does not exist");
}

void check_not_referenced_by_accounts(const json::object& entity, const std::string& target,
                                      TransactionReader& reader) {
  const json::value* id = entity.if_contains("id");
  if (!id || !id->is_string()) return;
  for (const auto& ref : party_account_references()) {
    if (ref.target != target) continue;
    const std::string query = ref.attribute + ".id=" + percent_encode(id->get_string());
    for (const auto& path : party_account_paths())
      if (auto n = reader.count(path, query); n > 0)
        throw ApiError(409, "STILL_REFERENCED", "Entity still referenced",
                       std::to_string(n) + " " + collection_name(path) + " still refer to it through '" +
                           ref.attribute + "'; remove those references first");
  }
}

} // namespace tmfd::party
