// TMF666 Account Management v4: party, billing, settlement and financial accounts, and the bill
// formats, presentation media and billing cycle specifications a bill structure points at. The
// spec defines create and delete events only for financial accounts; the other accounts announce
// attribute and state changes alone, and the three bill entities have no events at all.
// accountBalance of party-held accounts is read-only in the spec (absent from their *_Update); a
// financial account's balance may be updated.
#include "account_references.hpp"
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

// billFormat, billPresentationMedia, billingCycleSpecification: named entities with no state and
// no events in the spec. Deleting one that an account's bill structure still uses is refused.
KindWithHooks bill_entity(const char* collection, const char* type, std::vector<Attribute> own) {
  std::vector<Attribute> attributes = {str("name"), str("description")};
  attributes.insert(attributes.end(), own.begin(), own.end());
  const std::string path = std::string(kBasePath) + "/" + collection;
  ResourceHooks hooks;
  hooks.before_delete = [path](const json::object& entity, TransactionReader& reader) {
    check_not_referenced_by_accounts(entity, path, reader);
  };
  return {ResourceKind{
              .api = "account",
              .base_path = kBasePath,
              .collection = collection,
              .type = type,
              .mandatory = {"name"},
              .attributes = std::move(attributes),
              .indexed = {"name"},
              .events = {},
          },
          std::move(hooks)};
}

Attribute integer(const char* n) { return {n, AttributeType::Integer}; }

ResourceHooks party_account_hooks() {
  ResourceHooks hooks;
  hooks.check_in_transaction = [](const json::object& account, const json::object*, TransactionReader& reader) {
    check_account_references(account, reader);
  };
  return hooks;
}

} // namespace

std::vector<KindWithHooks> account_kinds() {
  ResourceHooks financial_hooks;
  financial_hooks.before_delete = [path = std::string(kBasePath) + "/financialAccount"](
                                      const json::object& entity, TransactionReader& reader) {
    check_not_referenced_by_accounts(entity, path, reader);
  };
  std::vector<KindWithHooks> kinds;
  kinds.push_back({account("partyAccount", "PartyAccount", true), party_account_hooks()});
  kinds.push_back({account("billingAccount", "BillingAccount", true), party_account_hooks()});
  kinds.push_back({account("settlementAccount", "SettlementAccount", true), party_account_hooks()});
  kinds.push_back({account("financialAccount", "FinancialAccount", false), std::move(financial_hooks)});
  kinds.push_back(bill_entity("billFormat", "BillFormat", {}));
  kinds.push_back(bill_entity("billPresentationMedia", "BillPresentationMedia", {}));
  kinds.push_back(bill_entity("billingCycleSpecification", "BillingCycleSpecification",
                              {integer("billingDateShift"), str("billingPeriod"), integer("chargeDateOffset"),
                               integer("creditDateOffset"), str("frequency"), integer("mailingDateOffset"),
                               integer("paymentDueDateOffset"), obj("validFor")}));
  return kinds;
}

} // namespace tmfd::party
