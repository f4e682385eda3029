package aws

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// StackTag is the tag CloudFormation puts on every resource of a stack.
const StackTag = "aws:cloudformation:stack-name"

// ErrNoFunctionURL means the function has no function URL.
var ErrNoFunctionURL = errors.New("the function has no function URL")

// FunctionURL is the function's URL (Lambda function URLs), if it has one.
func (c *Client) FunctionURL(ctx context.Context, name string) (string, error) {
	if err := c.wait(ctx); err != nil {
		return "", err
	}
	out, err := c.lambda.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: sdkaws.String(name)})
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return "", ErrNoFunctionURL
	}
	if err != nil {
		return "", fmt.Errorf("read the function URL of %s: %w", name, err)
	}
	return sdkaws.ToString(out.FunctionUrl), nil
}

// Tags reads a function's tags (by ARN).
func (c *Client) Tags(ctx context.Context, arn string) (map[string]string, error) {
	if err := c.wait(ctx); err != nil {
		return nil, err
	}
	out, err := c.lambda.ListTags(ctx, &lambda.ListTagsInput{Resource: sdkaws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("read the tags of %s: %w", arn, err)
	}
	return out.Tags, nil
}

// StackOutput is one output of a CloudFormation stack.
type StackOutput struct {
	Key, Value, Description string
}

// StackOutputs reads a CloudFormation stack's outputs, sorted by key.
func (c *Client) StackOutputs(ctx context.Context, stack string) ([]StackOutput, error) {
	if err := c.wait(ctx); err != nil {
		return nil, err
	}
	out, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: sdkaws.String(stack)})
	if err != nil {
		return nil, fmt.Errorf("read the outputs of stack %s: %w", stack, err)
	}
	var outputs []StackOutput
	for _, s := range out.Stacks {
		for _, o := range s.Outputs {
			outputs = append(outputs, StackOutput{Key: sdkaws.ToString(o.OutputKey), Value: sdkaws.ToString(o.OutputValue),
				Description: sdkaws.ToString(o.Description)})
		}
	}
	sort.Slice(outputs, func(i, j int) bool { return outputs[i].Key < outputs[j].Key })
	return outputs, nil
}

// APIURLOutput picks the output that is an API's URL: an http(s) value whose
// key names an API URL (the lab's ProductApiUrl), else any http(s) value.
func APIURLOutput(outputs []StackOutput) (StackOutput, bool) {
	var fallback *StackOutput
	for i, o := range outputs {
		if !strings.HasPrefix(o.Value, "http://") && !strings.HasPrefix(o.Value, "https://") {
			continue
		}
		key := strings.ToLower(o.Key)
		if strings.Contains(key, "api") && strings.Contains(key, "url") {
			return o, true
		}
		if fallback == nil {
			fallback = &outputs[i]
		}
	}
	if fallback != nil {
		return *fallback, true
	}
	return StackOutput{}, false
}
