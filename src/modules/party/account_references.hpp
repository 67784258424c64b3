#pragma once
// Reference integrity inside TMF666: an account's bill structure and financial account point at
// entities this same API stores (billFormat, billPresentationMedia, billingCycleSpecification,
// financialAccount). A reference to a missing one is refused with 400, and such an entity cannot
// be deleted while an account still points at it (409).
#include <string>
#include <vector>

#include <tmfd/resources.hpp>

namespace tmfd::party {

struct AccountReference {
  std::string attribute;  // dotted path in the account, e.g. "billStructure.presentationMedia"
  std::string target;     // collection path of what it points at
};

// The references a party-held account (partyAccount, billingAccount, settlementAccount) makes.
const std::vector<AccountReference>& party_account_references();
// The collection paths of the party-held accounts, which make those references.
const std::vector<std::string>& party_account_paths();

// TMF666 references are "RefOrValue": an item with an `id` (or `isRef: true`) refers to a stored
// entity, which must exist; an item with `isRef: false` and no id is a value, kept as sent.
// Throws ApiError 400 INVALID_REFERENCE naming the first missing target.
void check_account_references(const json::object& account, TransactionReader& reader);

// Throws ApiError 409 STILL_REFERENCED when a party-held account still refers to `entity`
// (stored in `target`) through one of its references.
void check_not_referenced_by_accounts(const json::object& entity, const std::string& target,
                                      TransactionReader& reader);

} // namespace tmfd::party
