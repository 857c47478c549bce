package api

// RecvTransfer is an incoming transfer as listed by recv.getTransfersAsync.
type RecvTransfer struct {
	TransferID       string `json:"transferId"`
	DestinationPath  string `json:"destinationPath"`
	SourceIP         string `json:"sourceIP"`
	SourcePort       int    `json:"sourcePort"`
	Status           string `json:"status"` // receiving | complete | error
	TotalSize        int64  `json:"totalSize"`
	BytesRecv        int64  `json:"bytesRecv"`
	LastErrorTime    *int64 `json:"lastErrorTime"`
	LastErrorMessage string `json:"lastErrorMessage,omitempty"`
	LastRecvTime     *int64 `json:"lastRecvTime"`
	LastSendTime     *int64 `json:"lastSendTime"`
	Owner            string `json:"owner"`
}

// Source is a sending server connected to this receiver.
type Source struct {
	SourceIP                 string  `json:"sourceIP"`
	SourcePort               int     `json:"sourcePort"`
	DestinationPublicKey     string  `json:"destinationPublicKey,omitempty"`
	EncryptionEnabled        bool    `json:"encryptionEnabled"`
	EncryptedConnectionState string  `json:"encryptedConnectionState"`
	ActiveTransferCount      int     `json:"activeTransferCount"`
	CompleteTransferCount    int     `json:"completeTransferCount"`
	ErrorTransferCount       int     `json:"errorTransferCount"`
	InactiveTransferCount    int     `json:"inactiveTransferCount"`
	AveRecvRate              float64 `json:"aveRecvRate"`
	AveRecvRateWindow        float64 `json:"aveRecvRateWindow"`
}

// Ticket authorises one transfer session on the data port. It is handed out
// only over the TLS API to an authenticated session.
type Ticket struct {
	Conv        uint32 `json:"conv"`
	Cipher      int    `json:"cipher"`
	Key         []byte `json:"key"`
	TransferKey string `json:"transferKey"`
	RecvPort    int    `json:"recvPort"`
	ServerUID   string `json:"serverUid"`
	// Protocol is the engine protocol version the issuing daemon speaks;
	// daemons before version 2 leave it out (0).
	Protocol int `json:"protocol,omitempty"`
}
