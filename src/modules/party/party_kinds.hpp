#pragma once
// The resource kinds of the party module, one function per TMF API so each file reads alone.
#include <vector>

#include <tmfd/resources.hpp>

namespace tmfd::party {

struct KindWithHooks {
  ResourceKind kind;
  ResourceHooks hooks;
};

std::vector<KindWithHooks> party_kinds();          // TMF632: individual, organization
std::vector<KindWithHooks> party_role_kinds();     // TMF669: partyRole
std::vector<KindWithHooks> customer_kinds();       // TMF629: customer
std::vector<KindWithHooks> account_kinds();        // TMF666: four accounts, three bill entities

// Shorthand for attribute tables.
inline Attribute str(const char* n) { return {n, AttributeType::String}; }
inline Attribute date(const char* n) { return {n, AttributeType::DateTime}; }
inline Attribute arr(const char* n) { return {n, AttributeType::Array}; }
inline Attribute obj(const char* n) { return {n, AttributeType::Object}; }
inline Attribute boolean(const char* n) { return {n, AttributeType::Boolean}; }

} // namespace tmfd::party
