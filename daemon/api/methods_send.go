package api

var transferIDParam = Param{Name: "transferId", Type: TString, Required: true, Doc: "transfer id"}

var sendMethods = []Method{
	{Name: "send.createDestination", Done: "Destination created.", Doc: "Add a receiving server (or return the identical existing one).", Params: []Param{
		{Name: "destinationAddress", Type: TString, Required: true, Doc: "host[:udpport] of the receiving server"},
		{Name: "destinationApiPort", Type: TInt, Doc: "API port of the receiving server (default 8886)"},
		{Name: "sendRateMax", Type: TFloat, Doc: "target rate in kbit/s (0 = unlimited)"},
		{Name: "minRate", Type: TFloat, Doc: "minimum rate in kbit/s"},
		{Name: "policy", Type: TString, Doc: "fixed, fair (default) or low"},
		{Name: "localPort", Type: TInt, Doc: "fixed local UDP port (default dynamic)"},
		{Name: "userName", Type: TString, Doc: "account on the receiving server"},
		{Name: "password", Type: TString, Doc: "its password (stored only in this server's state)"},
		{Name: "token", Type: TString, Doc: "token on the receiving server instead of userName"},
		{Name: "destinationPublicKey", Type: TString, Doc: "pin the receiving server's public key"},
		{Name: "userData", Type: TObject, Doc: "free-form data kept with the object"},
	}},
	{Name: "send.deleteDestination", Doc: "Delete a destination.", Params: []Param{
		{Name: "destinationId", Type: TString, Required: true, Doc: "destination id"},
	}},
	{Name: "send.getDestination", Doc: "One Destination Structure.", Params: []Param{
		{Name: "destinationId", Type: TString, Required: true, Doc: "destination id"},
	}},
	{Name: "send.getDestinations", Doc: "All visible destinations."},
	{Name: "send.getConnection", Doc: "Live state of one destination.", Params: []Param{
		{Name: "destinationId", Type: TString, Required: true, Doc: "destination id"},
	}},
	{Name: "send.getConnections", Doc: "Live state of all visible destinations."},
	{Name: "send.createManifest", Done: "Manifest requested.", Doc: "Build a manifest from file mappings (asynchronously; poll getManifest).", Params: []Param{
		{Name: "fileMappings", Type: TAny, Required: true, Doc: "{src: dst} object or list of \"src:dst\" strings"},
		{Name: "symlinks", Type: TString, Doc: "follow (default) or skip"},
		{Name: "userData", Type: TObject, Doc: "free-form data kept with the object"},
	}},
	{Name: "send.getManifest", Doc: "One Manifest Structure.", Params: []Param{
		{Name: "manifestId", Type: TString, Required: true, Doc: "manifest id"},
	}},
	{Name: "send.getManifests", Doc: "All visible manifests."},
	{Name: "send.getManifestFiles", Doc: "The files of a manifest.", Params: []Param{
		{Name: "manifestId", Type: TString, Required: true, Doc: "manifest id"},
	}},
	{Name: "send.deleteManifest", Doc: "Delete a manifest no transfer uses.", Params: []Param{
		{Name: "manifestId", Type: TString, Required: true, Doc: "manifest id"},
	}},
	{Name: "send.waitForManifest", Doc: "Block until a manifest is complete or failed.", Params: []Param{
		{Name: "manifestId", Type: TString, Required: true, Doc: "manifest id"},
		{Name: "timeoutSeconds", Type: TFloat, Doc: "give up after this long"},
	}},
	{Name: "send.createTransfer", Done: "Transfer requested.", Doc: "Queue a transfer of a manifest to a destination.", Params: []Param{
		{Name: "destinationId", Type: TString, Required: true, Doc: "destination id"},
		{Name: "manifestId", Type: TString, Required: true, Doc: "manifest id"},
		{Name: "destinationPath", Type: TString, Doc: "path prefix on the receiver"},
		{Name: "priority", Type: TInt, Doc: "lower numbers run first (default 100)"},
		{Name: "checkpointFrequencySeconds", Type: TInt, Doc: "receiver checkpoint interval (default 10)"},
		{Name: "overwrite", Type: TInt, Doc: "overwrite mode 0-5 (default 4: partfile, overwrite)"},
		{Name: "minCipher", Type: TInt, Doc: "0 none, 1 authenticate only, 2 AES-128-GCM (default), 3 AES-256-GCM"},
		{Name: "transferFlags", Type: TInt, Doc: "bit 0 read, bit 1 write (default 3; 0 = network test)"},
		{Name: "sendRateMax", Type: TFloat, Doc: "target rate in kbit/s (default: the destination's)"},
		{Name: "minRate", Type: TFloat, Doc: "minimum rate in kbit/s"},
		{Name: "policy", Type: TString, Doc: "fixed, fair or low (default: the destination's)"},
		{Name: "userData", Type: TObject, Doc: "free-form data kept with the object"},
	}},
	{Name: "send.getTransfer", Doc: "One Transfer Structure.", Params: []Param{transferIDParam}},
	{Name: "send.getTransfers", Doc: "All visible transfers."},
	{Name: "send.suspendTransfer", Doc: "Pause a transfer; resumable.", Params: []Param{transferIDParam}},
	{Name: "send.resumeTransfer", Doc: "Resume a suspended or failed transfer.", Params: []Param{transferIDParam}},
	{Name: "send.cancelTransfer", Doc: "Cancel a transfer.", Params: []Param{transferIDParam}},
	{Name: "send.setTransferPriority", Doc: "Change a transfer's place in its destination's queue; returns the Transfer.", Params: []Param{transferIDParam,
		{Name: "priority", Type: TInt, Required: true, Doc: "lower numbers run first"},
	}},
	{Name: "send.failTransfer", Doc: "Force an active transfer to fail.", Params: []Param{transferIDParam,
		{Name: "message", Type: TString, Doc: "error message to record"},
	}},
	{Name: "send.deleteTransfer", Doc: "Delete a finished or cancelled transfer.", Params: []Param{transferIDParam}},
	{Name: "send.setSendRateAsync", Async: true, Doc: "Change rates live for a transfer or a destination.", Params: []Param{
		{Name: "transferId", Type: TString, Doc: "transfer id (or destinationId)"},
		{Name: "destinationId", Type: TString, Doc: "destination id (or transferId)"},
		{Name: "sendRateMax", Type: TFloat, Doc: "target rate in kbit/s"},
		{Name: "minRate", Type: TFloat, Doc: "minimum rate in kbit/s"},
		{Name: "policy", Type: TString, Doc: "fixed, fair or low"},
	}},
	{Name: "send.updateObjectUserData", Doc: "Merge keys into an object's userData.", Params: []Param{
		{Name: "objectId", Type: TString, Required: true, Doc: "destination, manifest or transfer id"},
		{Name: "userData", Type: TObject, Required: true, Doc: "keys to set"},
	}},
	{Name: "send.deleteObjectUserData", Doc: "Remove keys (or all) from an object's userData.", Params: []Param{
		{Name: "objectId", Type: TString, Required: true, Doc: "destination, manifest or transfer id"},
		{Name: "keys", Type: TStringList, Doc: "keys to remove (default all)"},
	}},
	{Name: "send.createTicket", Doc: "Open a download session: this server sends the files to the caller.", Params: []Param{
		{Name: "fileMappings", Type: TAny, Required: true, Doc: "{src: dst} object or list of \"src:dst\" strings (paths on this server)"},
		{Name: "minCipher", Type: TInt, Doc: "cipher level 0-3"},
		{Name: "transferKey", Type: TString, Doc: "stable id for resuming"},
		{Name: "sendRateMax", Type: TFloat, Doc: "target rate in kbit/s"},
		{Name: "minRate", Type: TFloat, Doc: "minimum rate in kbit/s"},
		{Name: "policy", Type: TString, Doc: "fixed, fair or low"},
		{Name: "conv", Type: TInt, Doc: "proposed conversation id 1-4294967295 (with key): the caller may send its hello before the answer"},
		{Name: "key", Type: TString, Doc: "proposed session key, 32 bytes in standard base64 (with conv)"},
	}},
}
