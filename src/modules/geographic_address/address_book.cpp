#include "address_book.hpp"

#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "address_kinds.hpp"

namespace tmfd::geographic_address {

namespace {

json::array address_entries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  json::value doc;
  try {
    doc = parse_value(text.str());
  } catch (const ApiError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  if (doc.is_array()) return std::move(doc.get_array());
  if (doc.is_object())
    if (auto* list = doc.get_object().if_contains("geographicAddress"); list && list->is_array())
      return std::move(list->get_array());
  throw std::runtime_error(path + ": expected an array of addresses or {\"geographicAddress\": [...]}");
}

} // namespace

void load_address_book(Resources& resources, const std::string& path) {
  // Only into an empty collection: what is there was loaded before (the database is the truth).
  if (resources.list(kAddresses, "limit=0").total > 0) return;
  std::vector<ImportEntry> entries;
  std::size_t index = 0;
  for (auto& item : address_entries(path)) {
    if (!item.is_object())
      throw std::runtime_error(path + ": entry " + std::to_string(index) + " is not a JSON object");
    entries.push_back({kAddresses, std::move(item.get_object())});
    ++index;
  }
  std::promise<ImportOutcome> promise;
  auto result = promise.get_future();
  resources.import(std::move(entries), "address-book", [&promise](ImportOutcome o) { promise.set_value(std::move(o)); });
  ImportOutcome outcome = result.get();
  if (!outcome.committed) {
    std::string why;
    for (const auto& e : outcome.errors) why += "\n  " + e;
    throw std::runtime_error(path + " was refused:" + why);
  }
  log::info("geographic_address", "address book loaded", {{"file", path}, {"addresses", outcome.created}});
}

} // namespace tmfd::geographic_address
