#pragma once
// Where the ordering module's kinds live, and the inventory collections it fills. Collection
// paths are base_path + "/" + collection, as tmfd::Resources names them.
#include <string>

namespace tmfd::ordering {

inline const std::string kProductOrderingBase = "/tmf-api/productOrderingManagement/v4";
inline const std::string kServiceOrderingBase = "/tmf-api/serviceOrdering/v4";
inline const std::string kResourceOrderingBase = "/tmf-api/resourceOrderingManagement/v4";
inline const std::string kProcessFlowBase = "/tmf-api/processFlowManagement/v4";
// The module's own state (Exposure::AdminReadOnly: GET under /admin{base}).
inline const std::string kOrderingInternalBase = "/ordering";

inline const std::string kProductOrders = kProductOrderingBase + "/productOrder";
inline const std::string kCancelProductOrders = kProductOrderingBase + "/cancelProductOrder";
inline const std::string kServiceOrders = kServiceOrderingBase + "/serviceOrder";
inline const std::string kCancelServiceOrders = kServiceOrderingBase + "/cancelServiceOrder";
inline const std::string kResourceOrders = kResourceOrderingBase + "/resourceOrder";
inline const std::string kCancelResourceOrders = kResourceOrderingBase + "/cancelResourceOrder";
inline const std::string kProcessFlows = kProcessFlowBase + "/processFlow";
inline const std::string kTaskFlows = kProcessFlowBase + "/taskFlow";
inline const std::string kPlans = kOrderingInternalBase + "/plan";
inline const std::string kAllocations = kOrderingInternalBase + "/allocation";
inline const std::string kPoolCursors = kOrderingInternalBase + "/poolCursor";

// The inventories (the inventory module declares them).
inline const std::string kProducts = "/tmf-api/productInventory/v4/product";
inline const std::string kServices = "/tmf-api/serviceInventory/v4/service";
inline const std::string kResources = "/tmf-api/resourceInventoryManagement/v4/resource";
// Parties and accounts a product order may name (the party module declares them).
inline const std::string kBillingAccounts = "/tmf-api/accountManagement/v4/billingAccount";

// The principal of the module's own units of work: changes it makes to orders are the
// orchestrator's, which the order hooks tell from a client's.
inline const std::string kOrchestratorPrincipal = "ordering";

} // namespace tmfd::ordering
