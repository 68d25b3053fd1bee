const { execFileSync, exec } = require("node:child_process");
const AWS = require("aws-sdk");

const s3 = new AWS.S3();

exports.handler = async (event) => {
  const body = JSON.parse(event.body || "{}");
  const key = event.queryStringParameters.key;
  exec("aws s3 cp s3://reports/" + key + " /tmp/report", () => {});
  const version = execFileSync("node", ["--version"]).toString();
  const obj = await s3.getObject({ Bucket: "reports", Key: body.key }).promise();
  return { statusCode: 200, body: JSON.stringify({ version, size: obj.ContentLength }) };
};
