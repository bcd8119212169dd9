package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	cases := []struct{ in, mustNot, mustKeep string }{
		{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI", "aws_secret_access_key"},
		{`{"AccessKeyId":"AKIDEXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"FwoGZXIvYXdzEXAMPLE"}`, "FwoGZXIvYXdzEXAMPLE", "AKIDEXAMPLE"},
		{`"echo '{\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"SessionToken\":\"FwoGZXIvYXdzEXAMPLE\"}'"`, "wJalrXUtnFEMI", "SecretAccessKey"},
		{`"echo '{\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"SessionToken\":\"FwoGZXIvYXdzEXAMPLE\"}'"`, "FwoGZXIvYXdzEXAMPLE", "SessionToken"},
		{"Authorization: Bearer ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ==", "QmVkcm9ja0FQSUtleS1FWEFN", "Authorization"},
		{"key ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ== in text", "ABSKEXAMPLEQmVk", "in text"},
		{"token bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249", "YmVkcm9jay5h", "token"},
		{"AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE", "IQoJb3JpZ2lu", "AWS_SESSION_TOKEN="},
		{"Credential=AKIDEXAMPLE/20261128/us-east-1/bedrock/aws4_request, Signature=abcdef0123456789abcdef", "abcdef0123456789", "AKIDEXAMPLE/20261128"},
	}
	for _, tc := range cases {
		got := String(tc.in)
		if strings.Contains(got, tc.mustNot) || !strings.Contains(got, tc.mustKeep) {
			t.Errorf("String(%q) = %q", tc.in, got)
		}
	}
	if got := String("my token is s3cr3tVALUE!", "s3cr3tVALUE"); strings.Contains(got, "s3cr3t") {
		t.Errorf("known secret kept: %q", got)
	}
}

func TestEnv(t *testing.T) {
	if Env("AWS_SESSION_TOKEN", "x") != Mask || Env("AWS_REGION", "us-east-1") != "us-east-1" || Env("AWS_SECRET_ACCESS_KEY", "") != "" {
		t.Error("Env redaction")
	}
}

func FuzzString(f *testing.F) {
	f.Add("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s, "knownSECRETvalue")
		if strings.Contains(out, "knownSECRETvalue") {
			t.Fatal("known secret survived")
		}
	})
}
