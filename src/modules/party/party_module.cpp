// The party module: TMF632 party, TMF669 party role, TMF629 customer and TMF666 account, all on
// the kernel's resource engine. The module has no keys of its own besides `enabled`.
#include <tmfd/plugin.hpp>

#include "party_kinds.hpp"

namespace tmfd::party {

class PartyModule final : public Module {
public:
  void start(ModuleContext& ctx) override {
    for (auto* kinds : {&party_kinds, &party_role_kinds, &customer_kinds, &account_kinds})
      for (auto& k : (*kinds)()) ctx.resources().add(std::move(k.kind), std::move(k.hooks));
  }
};

} // namespace tmfd::party

TMFD_PLUGIN("party", "0.1.0", tmfd::party::PartyModule, {nullptr})
