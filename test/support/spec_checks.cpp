#include "spec_checks.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <optional>

#include <boost/json/serialize.hpp>

namespace tmfd::test {

const SpecValidator* spec_validator_for(const std::string& file) {
  static std::map<std::string, std::optional<SpecValidator>> loaded;
  auto it = loaded.find(file);
  if (it == loaded.end()) {
    auto dir = find_spec_dir();
    std::optional<SpecValidator> v;
    if (!dir.empty()) v.emplace(SpecValidator::load(dir + "/" + file));
    it = loaded.emplace(file, std::move(v)).first;
  }
  return it->second ? &*it->second : nullptr;
}

void check_spec(const boost::json::value& body, const std::string& file, const std::string& definition) {
  const SpecValidator* s = spec_validator_for(file);
  if (!s) {
    WARN("TMF specs not found (find_spec_dir() is empty): not validating against " << definition);
    return;
  }
  auto problems = s->validate(body, definition);
  std::string report;
  for (const auto& p : problems) report += "\n  " + p;
  INFO(file << " " << definition << " " << boost::json::serialize(body) << report);
  CHECK(problems.empty());
}

} // namespace tmfd::test
