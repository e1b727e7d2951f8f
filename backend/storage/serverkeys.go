package storage

import (
	"time"
)

// Secret keys shared by every server on this database.

type serverKeyRow struct {
	Name      string
	Secret    string
	CreatedAt time.Time
}

func (serverKeyRow) TableName() string { return "server_keys" }

func (t *tx) ServerKey(name string) (string, error) {
	var row serverKeyRow
	if _, err := first(t.g.Where("name = ?", name), &row, "server key "+name); err != nil {
		return "", err
	}
	return row.Secret, nil
}

func (t *tx) InsertServerKey(name, secret string, at time.Time) (bool, error) {
	return t.insert(&serverKeyRow{Name: name, Secret: secret, CreatedAt: at}, "server key "+name)
}
