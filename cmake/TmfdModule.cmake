# tmfd_add_plugin(NAME SOURCES...) builds a module or adapter as tmfd_NAME.so in the plugin
# folder. The name is the one the descriptor declares and the YAML key that enables it.
function(tmfd_add_plugin name)
  tmfd_build_plugin(${name} ${ARGN})
  set(target tmfd_${name})
  install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/tmfd/plugins)
  # Every module and adapter also hangs off `tmfd_plugins`, so that one target builds whatever a
  # config may enable (scripts/run.sh builds `tmfd tmfd_plugins`).
  if(NOT TARGET tmfd_plugins)
    add_custom_target(tmfd_plugins)
  endif()
  add_dependencies(tmfd_plugins ${target})
endfunction()

# tmfd_build_plugin(NAME SOURCES...) is the build part of tmfd_add_plugin alone: tmfd_NAME.so in
# the plugin folder, built like a shipped plugin (same build key), but neither installed nor part
# of `tmfd_plugins`. The tests use it for the example module of docs/adding-a-module.md.
function(tmfd_build_plugin name)
  set(target tmfd_${name})
  add_library(${target} MODULE ${ARGN})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME tmfd_${name}
    LIBRARY_OUTPUT_DIRECTORY ${TMFD_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    INSTALL_RPATH "$ORIGIN/../..")
  target_link_libraries(${target} PRIVATE tmfd_core tmfd_interfaces)
  target_compile_definitions(${target} PRIVATE TMFD_SDK_HASH="${TMFD_SDK_HASH}")
  tmfd_apply_warnings(${target})
endfunction()
