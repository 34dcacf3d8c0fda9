const apiKey = process.env.API_KEY;
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
password = "changeme"
