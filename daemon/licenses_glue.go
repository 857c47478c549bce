package daemon

import "github.com/jetstream-go/jetstream/daemon/licenses"

func thirdPartyLicenses() map[string]string { return licenses.ForBuild() }
