# Units of work, internal kinds, durable reactions and timers through the stateful test plugin.
target_sources(tmfd_integration_tests PRIVATE integration/stateful_module_test.cpp)
