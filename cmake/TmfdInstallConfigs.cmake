# Runs at install time (from install(CODE) in the top CMakeLists.txt), so the prefix is the one
# `cmake --install --prefix` was given: writes the installed config and the systemd unit with
# absolute install paths. Expects TMFD_SOURCE_DIR, TMFD_LIBDIR and TMFD_DATADIR (relative).
set(TMFD_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(TMFD_PLUGIN_DIR "${TMFD_PREFIX}/${TMFD_LIBDIR}/tmfd/plugins")
set(TMFD_DATA_DIR "${TMFD_PREFIX}/${TMFD_DATADIR}/tmfd")
foreach(name tmfd.installed.yaml tmfd.service)
  set(target "$ENV{DESTDIR}${TMFD_DATA_DIR}/${name}")
  message(STATUS "Installing: ${target}")
  configure_file("${TMFD_SOURCE_DIR}/config/${name}.in" "${target}" @ONLY)
endforeach()
