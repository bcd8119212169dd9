package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Credentials the simulator issues in the soak live this long on its clock; the clock moves
// a minute every -tick, so they run out several times during a run.
const credentialTTL = 10 * time.Minute

// credential is one key pair of the auth file.
type credential struct {
	AccessKeyID     string    `json:"access_key_id"`
	SecretAccessKey string    `json:"secret_access_key"`
	ExpiresAt       time.Time `json:"expires_at"`
}

type authFile struct {
	Credentials []credential `json:"credentials"`
	ModelAccess []string     `json:"model_access"`
}

// refreshMain is `soak refresh`, the awsAuthRefresh command of the soak's settings: it
// plays `aws sso login`, minting a key pair that expires by the simulator's clock, adding it
// to the simulator's auth file and writing it to the shared credentials file the agent's
// credential chain reads. Agents refresh concurrently, so it holds a lock file.
func refreshMain(args []string) error {
	fs := flag.NewFlagSet("refresh", flag.ExitOnError)
	dir := fs.String("dir", "", "the soak's work directory")
	url := fs.String("url", "", "the simulator")
	_ = fs.Parse(args)
	lock, err := os.OpenFile(filepath.Join(*dir, "refresh.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	now, err := simNow(*url)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(strings.TrimSpace(readString(filepath.Join(*dir, "refresh.count"))))
	n++
	if err := mint(*dir, n, now); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*dir, "refresh.count"), []byte(strconv.Itoa(n)), 0o600); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(*dir, "refreshes.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(f, "%d %s\n", n, now.Format(time.RFC3339))
	fmt.Println("soak: installed new credentials")
	return nil
}

// mint adds key pair n, valid from now for credentialTTL, to the auth file and makes it the
// shared credentials file's default profile. Both files are replaced by rename, so neither
// the simulator nor an agent ever reads half of one.
func mint(dir string, n int, now time.Time) error {
	secret := make([]byte, 12)
	_, _ = rand.Read(secret)
	c := credential{AccessKeyID: fmt.Sprintf("AKIDSOAKEXAMPLE%04d", n), SecretAccessKey: "soakEXAMPLE" + hex.EncodeToString(secret), ExpiresAt: now.Add(credentialTTL).UTC()}
	var a authFile
	if data, err := os.ReadFile(filepath.Join(dir, "auth.json")); err == nil {
		_ = json.Unmarshal(data, &a)
	}
	a.Credentials = append(a.Credentials, c)
	a.ModelAccess = []string{"*"}
	data, _ := json.MarshalIndent(a, "", " ")
	if err := writeAtomic(filepath.Join(dir, "auth.json"), data); err != nil {
		return err
	}
	ini := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", c.AccessKeyID, c.SecretAccessKey)
	return writeAtomic(filepath.Join(dir, "home", ".aws", "credentials"), []byte(ini))
}

func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func simNow(url string) (time.Time, error) {
	resp, err := http.Get(url + "/_sim/clock")
	if err != nil {
		return time.Time{}, err
	}
	defer resp.Body.Close()
	var out struct {
		Now time.Time `json:"now"`
	}
	return out.Now, json.NewDecoder(resp.Body).Decode(&out)
}

func readString(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}
