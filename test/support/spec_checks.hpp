#pragma once
// Catch2 checks of response and event bodies against the official TMF swagger files, for the
// integration tests. Without the spec folder (find_spec_dir() empty) the checks are skipped with
// a warning, so the tests still run.
#include <string>

#include <boost/json/value.hpp>

#include "spec_validator.hpp"

namespace tmfd::test {

// The swagger files the tests validate against (file names inside find_spec_dir()).
inline constexpr const char* kTmf620 = "TMF620-ProductCatalog-v4.0.0.swagger.json";
inline constexpr const char* kTmf629 = "TMF629-Customer-v4.0.0.swagger.json";
inline constexpr const char* kTmf632 = "TMF632-Party-v4.0.0.swagger.json";
inline constexpr const char* kTmf633 = "TMF633-ServiceCatalog-v4.0.0.swagger.json";
inline constexpr const char* kTmf634 = "TMF634-ResourceCatalog-v4.0.0.swagger.json";
inline constexpr const char* kTmf637 = "TMF637-ProductInventory-v4.0.0.swagger.json";
inline constexpr const char* kTmf638 = "TMF638-ServiceInventory-v4.0.0.swagger.json";
inline constexpr const char* kTmf639 = "TMF639-ResourceInventory-v4.0.0.swagger.json";
inline constexpr const char* kTmf622 = "TMF622-ProductOrder-v4.0.0.swagger.json";
inline constexpr const char* kTmf641 = "TMF641-ServiceOrdering-v4.1.0.swagger.json";
inline constexpr const char* kTmf652 = "TMF652-ResourceOrder-v4.0.0.swagger.json";
inline constexpr const char* kTmf701 = "TMF701-ProcessFlow-v4.0.0.swagger.json";
inline constexpr const char* kTmf666 = "TMF666-Account-v4.0.0.swagger.json";
inline constexpr const char* kTmf669 = "TMF669-PartyRole-v4.0.0.swagger.json";
inline constexpr const char* kTmf673 = "TMF673-GeographicAddress-v4.0.1.swagger.json";

// The validator of one swagger file, loaded on first use and kept; nullptr without the specs.
const SpecValidator* spec_validator_for(const std::string& file);

// CHECKs that `body` is valid against `definition` of the swagger file `file`, listing the
// problems on failure; only WARNs (and checks nothing) when the specs are not there.
void check_spec(const boost::json::value& body, const std::string& file, const std::string& definition);

} // namespace tmfd::test
