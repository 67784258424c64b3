// A shared library that is not a tmfd plugin: it exports no tmfd_plugin_entry.
extern "C" __attribute__((visibility("default"))) int not_a_plugin() { return 42; }
