// TMF666 Account Management v4: party, billing, settlement and financial accounts. The spec
// defines create and delete events only for financial accounts; the others announce attribute
// and state changes alone. accountBalance of party-held accounts is read-only in the spec (absent
// from their *_Update); a financial account's balance may be updated.
#include "party_kinds.hpp"

namespace tmfd::party {

namespace {

const char* kBasePath = "/tmf-api/accountManagement/v4";

ResourceKind account(const char* collection, const char* type, bool party_account) {
  std::vector<Attribute> attributes = {str("accountType"), str("description"), date("lastModified"),
                                       str("name"), str("state"), arr("accountBalance"),
                                       arr("accountRelationship"), arr("contact"), obj("creditLimit"),
                                       arr("relatedParty"), arr("taxExemption")};
  std::vector<std::string> mandatory = {"name"};
  EventNames events{.attribute_value_change = std::string(type) + "AttributeValueChangeEvent",
                    .state_change = std::string(type) + "StateChangeEvent"};
  if (party_account) {
    // Accounts held by a party: the spec requires the related party on create.
    attributes.insert(attributes.end(), {str("paymentStatus"), obj("billStructure"),
                                         obj("defaultPaymentMethod"), obj("financialAccount"),
                                         arr("paymentPlan")});
    mandatory.push_back("relatedParty");
  } else {
    events = standard_events(type);
  }
  return ResourceKind{
      .api = "account",
      .base_path = kBasePath,
      .collection = collection,
      .type = type,
      .mandatory = std::move(mandatory),
      .attributes = std::move(attributes),
      .immutable = party_account ? std::vector<std::string>{"accountBalance"} : std::vector<std::string>{},
      .indexed = {"name", "state", "accountType"},
      .lifecycle = Lifecycle{.field = "state", .initial = "", .states = {}, .transitions = {}, .aliases = {}},
      .events = std::move(events),
      .last_update_field = "lastModified",
  };
}

} // namespace

std::vector<KindWithHooks> account_kinds() {
  return {{account("partyAccount", "PartyAccount", true), {}},
          {account("billingAccount", "BillingAccount", true), {}},
          {account("settlementAccount", "SettlementAccount", true), {}},
          {account("financialAccount", "FinancialAccount", false), {}}};
}

} // namespace tmfd::party
