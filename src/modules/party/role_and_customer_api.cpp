// TMF669 Party Role and TMF629 Customer v4. Both model a party playing a role; their `status` is
// a free string in the specs (no published lifecycle), so only its type is checked.
#include "party_kinds.hpp"

namespace tmfd::party {

namespace {

std::vector<Attribute> role_attributes() {
  return {str("name"), str("status"), str("statusReason"), arr("account"), arr("agreement"),
          arr("characteristic"), arr("contactMedium"), arr("creditProfile"), obj("engagedParty"),
          arr("paymentMethod"), arr("relatedParty"), obj("validFor")};
}

} // namespace

std::vector<KindWithHooks> party_role_kinds() {
  ResourceKind role{
      .api = "partyRole",
      .base_path = "/tmf-api/partyRoleManagement/v4",
      .collection = "partyRole",
      .type = "PartyRole",
      .mandatory = {"name"},
      .attributes = role_attributes(),
      .indexed = {"name", "status", "engagedParty.id"},
      .events = standard_events("PartyRole"),
  };
  return {{std::move(role), {}}};
}

std::vector<KindWithHooks> customer_kinds() {
  ResourceKind customer{
      .api = "customer",
      .base_path = "/tmf-api/customerManagement/v4",
      .collection = "customer",
      .type = "Customer",
      .mandatory = {"name", "engagedParty"},
      .attributes = role_attributes(),
      .indexed = {"name", "status", "engagedParty.id"},
      .events = standard_events("Customer"),
  };
  return {{std::move(customer), {}}};
}

} // namespace tmfd::party
