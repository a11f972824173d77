# Installs the Debian packages Tributary needs, when they are missing. Sourced by scripts/test and scripts/demo.
# As root it runs apt-get; otherwise it names the packages to install and stops.

TRIBUTARY_APT_PACKAGES=(librdkafka-dev librocksdb-dev libcurl4-openssl-dev pkg-config kcat python3-pip)

tributary_missing_packages() {
    local missing=()
    for package in "${TRIBUTARY_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    echo "${missing[@]}"
}

tributary_install_dependencies() {
    local missing
    missing="$(tributary_missing_packages)"
    [[ -z "$missing" ]] && return 0
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "Tributary needs these Debian packages: $missing" >&2
        echo "Install them with:  sudo apt-get update && sudo apt-get install -y $missing" >&2
        exit 1
    fi
    echo "Installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >/dev/null
}

tributary_require_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        if [[ -x /opt/swift/usr/bin/swift ]]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            echo "Tributary needs Swift 6.2 or later on PATH (https://www.swift.org/install/linux/)." >&2
            exit 1
        fi
    fi
}
