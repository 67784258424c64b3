#pragma once
// The resource kinds of TMF673 Geographic Address v4: geographicAddress (read-only over REST, as
// the spec defines it; filled from the operator's address book), with its sub-addresses kept
// inside it, and geographicAddressValidation, a task resource.
#include <string>

#include <tmfd/resources.hpp>

namespace tmfd::geographic_address {

inline const std::string kApi = "geographicAddress";
inline const std::string kBasePath = "/tmf-api/geographicAddressManagement/v4";
inline const std::string kAddresses = kBasePath + "/geographicAddress";
inline const std::string kValidations = kBasePath + "/geographicAddressValidation";

// The spec serves addresses with GET only. The hook gives every sub-address an id (when it has
// none) and its href under the address, and refuses two sub-addresses with one id.
ResourceKind address_kind();
ResourceHooks address_hooks();

// POST, GET and PATCH as the spec defines them (no DELETE); the hooks are address_validation's.
ResourceKind validation_kind();

// The href of a sub-address: {base}/geographicAddress/{addressId}/geographicSubAddress/{id}.
std::string sub_address_href(const std::string& address_id, const std::string& sub_address_id);

} // namespace tmfd::geographic_address
